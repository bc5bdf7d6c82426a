"""The cycle runs itself: the scheduler's jobs (django-q2) and the escalating reminders that read
every app's due items (oversight.lib.due) and email the people responsible, then whom it
escalates to, once per person per item per step."""
