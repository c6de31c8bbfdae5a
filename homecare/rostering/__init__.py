"""Rotas: the optimizer's Django shell, the rota page, manual moves, worker calendars (issue 5)."""
