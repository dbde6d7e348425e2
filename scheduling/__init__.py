"""Reminders as data, below the services: what to remind and when, the ``reminders`` rows,
and claiming them for sending. Imports storage, ``bot.config`` and ``bot.language`` only,
never the services, views, core or Telegram (the sender is ``handlers/reminders.py``).

- ``calendar``, ``policy``: pure (working days; facts and a clock → reminder specs)
- ``workdays``: the calendar with the office's own days from the database
- ``schedule``: ``rebuild``, the rows made to match the policy
- ``preferences``: a unit's choices (where its reminders go, a pause)
- ``outbox``: claiming due rows, recording sent / failed / cancelled
- ``outgoing``: what a claimed row says, for the sender
- ``buttons``: snoozing, and the assignment a reminder's "done" is about
- ``upcoming``: ``/nhacviec``'s list
- ``answers``: stopping the reminders a report answers (``ReminderCancelling``)
- ``notices``: a notice the office must act on (two reporters who disagree), queued as rows
"""
