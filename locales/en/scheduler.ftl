## Deadline reminders and escalations (to the unit's group and the leaders' group)

reminder-what-decision = decide on the petition (accept, forward, guide or return it)
reminder-what-resolution = resolve it and answer the citizen
reminder-before = { $days ->
        [0] ⏰ Ticket <b>{ $code }</b> ({ $kind }) is due <b>today, { $due }</b>: { $what }.
        [one] ⏰ Ticket <b>{ $code }</b> ({ $kind }) has <b>1 working day</b> left to { $what }. Due: <b>{ $due }</b>.
       *[other] ⏰ Ticket <b>{ $code }</b> ({ $kind }) has <b>{ $days } working days</b> left to { $what }. Due: <b>{ $due }</b>.
    }
reminder-overdue-unit = 🔴 Ticket <b>{ $code }</b> ({ $kind }) is <b>{ $days ->
        [one] 1 working day
       *[other] { $days } working days
    } overdue</b> (due { $due }): { $what }. Please act on it now.
reminder-overdue-lead = 🔴 Overdue: ticket <b>{ $code }</b> ({ $kind }) at { $unit } is { $days ->
        [one] 1 working day
       *[other] { $days } working days
    } late (due { $due }): { $what }.

## Weekly digest (to each unit, and the summary to the leaders' group)

digest-title = 📊 <b>Week { $start } – { $end }</b>, { $unit }
digest-new = • New: <b>{ $count }</b>
digest-in-progress = • In progress: <b>{ $count }</b>
digest-due-this-week = • Due this week ({ $start } – { $end }): <b>{ $count }</b>
digest-overdue = • Overdue: <b>{ $count }</b>
digest-resolved = • Resolved last week: <b>{ $count }</b>
digest-on-time = • On time: <b>{ $rate }</b>
digest-rate = { $percent }% ({ $on_time }/{ $total })
digest-rate-none = nothing resolved
digest-summary-title = 📊 <b>All units, week { $start } – { $end }</b>
digest-summary-line = • { $unit }: new { $new }, in progress { $open }, overdue { $overdue }, resolved { $resolved }, on time { $rate }
digest-chart-title = { $unit }: last 8 weeks
digest-chart-title-all = All units: last 8 weeks
digest-chart-received = Received
digest-chart-resolved = Resolved

## Weekly reminders to subscribed citizens

weekly-title = 📅 <b>Citizen reception, the next 7 days</b>
weekly-session = • { $weekday } { $date }, { $time }: { $place }
weekly-session-note = <i>{ $note }</i>
weekly-session-holiday = (This falls on a public holiday: the session may move; please check before you come.)
weekly-footer = To stop these messages, send /unsubscribe.
weekly-day-0 = Monday
weekly-day-1 = Tuesday
weekly-day-2 = Wednesday
weekly-day-3 = Thursday
weekly-day-4 = Friday
weekly-day-5 = Saturday
weekly-day-6 = Sunday
