"""students area: a student's own login, made by a parent, that sees only that student's fees."""
