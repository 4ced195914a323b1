"""The languages the campaign speaks, the names supporters read in them (CLDR, iso-codes),
and `Words`, a language's translations handed to the layers below the web."""
