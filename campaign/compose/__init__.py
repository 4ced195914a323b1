"""A supporter's letter, composed by pure functions: the form's rules, the places they
choose from, the draft (text, recipients), the links that send it and those that share it."""
