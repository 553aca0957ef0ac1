"""Charge detail records: the immutable bill of a finished session, shaped like OCPI 2.2.1's."""
