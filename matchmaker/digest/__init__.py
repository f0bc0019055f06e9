"""The monthly digest: what each person's says (`content`), the email it becomes
(`message`), who may send it for a period (`claims`), sending it once per person and period
(`sending`), from several processes when it is large (`parallel`), who may preview whose
(`preview`) and the choice a digest link changes (`preferences`)."""
