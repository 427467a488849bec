"""The rules that hold across audiences: who may see what (access), time as NAV counts it
(clock, worktime) and the domain's fixed words (vocabulary)."""
