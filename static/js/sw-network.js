// Offline resources of the mentor network: owned by the network work; this placeholder keeps the import valid.
