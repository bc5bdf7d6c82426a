"""The listing `oversight --help` prints, kept so that it needs no Django start-up.

Made by `make cli-listing` from `oversight.cli.usage()`; tests/test_cli.py fails when it
differs from what the commands give."""

USAGE = """\
Usage: oversight GROUP COMMAND [OPTIONS]  or  oversight COMMAND [OPTIONS]

Groups (`oversight GROUP` lists its commands):
  api            The JSON API's OpenAPI document.
                   schema
  export         Export a period's measures, or a whole plan as the files `import` reads; a delivery plan or risks (the delivery app adds those).
                   measures, plan, commissioning, engagement, finance, delivery, risks
  import         Import a plan, a period's figures or a period's narrative; a delivery plan or risks (the delivery app adds those).
                   plan, observations, narrative, commissioning, engagement, finance, delivery, risks
  opendata       police.uk open data: import it, count crimes, compare forces and areas.
                   import, counts, areas, compare, refresh
  plan           Publish a plan, or withdraw it from the public site.
                   publish, archive
  registers      The registers: decisions, grants, contracts, bids, disposals.
                   import, export, list, history, expiring, tracker
  scrutiny       Scrutiny: bodies, meetings, minutes, agreed actions and HMICFRS reports.
                   import, moderngov, actions, actionlog, calendar, popolo, meetings, minutes, hmicfrs
  subscriptions  Email subscriptions: send the daily digest, count subscriptions.
                   digest, list

Commands:
  backup         Write a complete copy of the database to one file.
  commentary     Show, keep, replace or clear a measure's commentary for a period.
  createuser     Create a user: by default the first administrator.
  demo           Build the demo plan, its figures and its documents.
  report         Write the Panel's performance report for a period as HTML, DOCX or PDF.
  restore        Load a backup made by `oversight backup` into an empty database.
  serve          Start the web application at http://127.0.0.1:8000.
  worker         Run the scheduler: reminders and the other scheduled jobs.

Options:
  --version      print Oversight's version
  --help         show this list

`oversight COMMAND --help` explains each; `oversight manage ...` runs any Django command."""
