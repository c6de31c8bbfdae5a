"""Money: invoices, block contracts and payments from the contract rules and the visits that happened (issue 7)."""
