"""The privacy lifecycle of case data (issue 11): retention and purge, the person's own
copy, erasure and correction, and the public statements (privacy notice, accessibility).

rules      when a placement's data is due for deletion and its mentor's access ends
deletion   deleting one placement in bounded transactions (purge and erasure share it)
tallies    what the network's figures counted of a placement, kept anonymously
retention  the daily purge: which placements are due, dry run, space given back
export     the participant's own copy (JSON and printable HTML)
erasure    erasure and correction on request
views      the public pages (blueprint `privacy`, registered from there: the package
           itself imports nothing, as domain.access uses its rules)
"""
