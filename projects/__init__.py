"""Groups (projects): the start-up check that suggests an honest level, and the work behind
creating a group, joining it by its link, leaving it and naming its other lead, with the words
and the poster that show it. Handlers in `handlers/` parse and call into here."""
