"""Voucher codes and their redemption onto drivers\x27 ledgers."""
