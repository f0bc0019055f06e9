"""Exchanges: proposals and their answers and expiry (`proposals`), what happens after an
agreement (`outcomes`: done, cancelled, no-show, feedback), group proposals of swap rings
(`swap_rings`), whose desks and places an exchange books (`bookings`), calendar files
(`calendar`) and what each side may see of an exchange (`visibility`)."""
