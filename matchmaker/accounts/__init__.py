"""Accounts: people and their roles (`users`), signing in with failures slowed down
(`sign_in`), emailed reset and invitation links (`links`) and personal API tokens (`tokens`)."""
