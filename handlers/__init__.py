"""One package per feature (people, groups, decide, measure, meetings, opportunities, claims,
loop, assisted, admin), each module exporting the handlers it contributes, plus `kit`, what
every feature shares, and `buttons`, declarations more than one feature shows. A feature
imports only `kit`, `buttons`, its own package and the use-case packages (tests/test_layers.py).
"""
