## The officers' side: a unit's group and staff in a private chat

officer-not-permitted = You are not allowed to do this.
officer-heads-only = You are not allowed to do this: only the unit's heads may transfer, reject or extend.
officer-group-not-registered = This group is not registered as any unit's working group, so the bot shows no tickets here. Please contact the administrator.
officer-stale = This card is out of date; nothing was done. The card is being refreshed: please check it and use the new one.
officer-stale-text = Ticket <b>{ $code }</b> changed while you were typing, so nothing was done. Please check the card and try again.
officer-too-late = Another officer acted on this ticket first. Please check its new status on the card.
officer-accepted = Ticket { $code } accepted.
officer-cancel = ✖️ Cancel
officer-back = ⬅️ Back
officer-cancelled = The pending action was cancelled.
officer-nothing-to-cancel = There is nothing to cancel.

officer-help =
    <b>Help for officers</b>
    • Use the buttons under a ticket card to accept, transfer, guide, ask for more information, give the answer, reject, extend or add an internal note.
    • Reply to a ticket card or to a citizen's message to send text, photos or files to the citizen; they are signed with the unit's name, not yours.
    • /open — open tickets, soonest deadline first
    • /overdue — overdue tickets
    • /ticket <code>code</code> — a ticket's card and history
    • /stats — this unit's figures for the month
    • /new — record a petition received on paper, by phone or in person
    • /cancel — cancel what you started
    Unit heads see a denouncer's identity with /identity <code>code</code> in a private chat with the bot.

## Prompts for the text an action needs (force reply)

officer-prompt-guide = 🧭 Type the guidance for the citizen on ticket <b>{ $code }</b> (reply to this message). Send /cancel to cancel.
officer-prompt-info = ❓ Type what the citizen should add to ticket <b>{ $code }</b> (reply to this message). Send /cancel to cancel.
officer-prompt-resolve = ✔️ Type the answer to ticket <b>{ $code }</b> for the citizen (reply to this message). Send /cancel to cancel.
officer-prompt-reject = ⛔ Type why ticket <b>{ $code }</b> cannot be handled (reply to this message). Send /cancel to cancel.
officer-prompt-extend = ⏳ Type the reason for extending ticket <b>{ $code }</b> (reply to this message). Send /cancel to cancel.
officer-prompt-note = 📝 Type an internal note on ticket <b>{ $code }</b>; it is never sent to the citizen (reply to this message). Send /cancel to cancel.
officer-prompt-empty = Please type the text for ticket <b>{ $code }</b>, or send /cancel to cancel.

officer-done-guide = 🧭 Guidance on ticket <b>{ $code }</b> sent to the citizen.
officer-done-info = ❓ Request for more information on ticket <b>{ $code }</b> sent to the citizen.
officer-done-resolve = ✔️ The answer to ticket <b>{ $code }</b> was sent to the citizen.
officer-done-reject = ⛔ The citizen was told ticket <b>{ $code }</b> cannot be handled.
officer-done-extend = ⏳ Ticket <b>{ $code }</b> was extended.
officer-done-note = 📝 Internal note saved on ticket <b>{ $code }</b>.

## Transfer

officer-transfer-pick = ↪️ Choose the unit to receive ticket <b>{ $code }</b>:
officer-transferred = Ticket { $code } transferred to { $unit }.
officer-transfer-done = ↪️ Ticket <b>{ $code }</b> was transferred to { $unit }.
officer-transfer-cancelled = Transfer of ticket <b>{ $code }</b> cancelled.

## Replies to the citizen

officer-reply-sent = ✉️ Message on ticket <b>{ $code }</b> sent to the citizen.
officer-reply-recorded = 📝 Your answer was recorded on ticket <b>{ $code }</b>. The citizen has not linked the ticket to a chat, so they did not get it; please contact them by phone or letter.
officer-reply-elsewhere = Ticket <b>{ $code }</b> is no longer with this unit; the message was not sent to the citizen.
officer-unit-linked = 🔗 The citizen linked ticket <b>{ $code }</b> to their chat. You can now answer them by replying to the ticket card.

## Lists, a ticket's history, figures

officer-open-title = 📂 <b>Open tickets — { $unit }</b> ({ $total } tickets, page { $page }/{ $pages }):
officer-open-empty = The unit has no open tickets.
officer-overdue-title = ⏰ <b>Overdue tickets — { $unit }</b> ({ $total } tickets, page { $page }/{ $pages }):
officer-overdue-empty = The unit has no overdue tickets. 👍
officer-list-line = { $number }. <code>{ $code }</code> · { $kind } · { $status } · due { $due }
officer-list-line-overdue = { $number }. <code>{ $code }</code> · { $kind } · { $status } · due { $due } · ⚠️ overdue
officer-page-previous = ◀️ Previous
officer-page-next = Next ▶️

officer-ticket-usage = Please add the ticket code, for example: /ticket PA26-00042
officer-ticket-not-here = Ticket { $code } was not found among this unit's tickets.
officer-history-title = 🕘 <b>History</b>
officer-history-earlier = … and { $count } earlier steps
officer-history-line = • { $at } · { $action } ({ $who })
officer-history-line-note = • { $at } · { $action } ({ $who }): { $note }
officer-who-staff = officer
officer-who-citizen = citizen
officer-who-system = system

officer-event-submit = Received
officer-event-accept = Accepted
officer-event-transfer = Transferred out
officer-event-transfer_in = Transferred in
officer-event-guide = Guidance given
officer-event-reject = Rejected
officer-event-request_info = More information requested
officer-event-provide_info = Citizen added information
officer-event-citizen_message = Citizen's message
officer-event-reply = Reply to the citizen
officer-event-note = Internal note
officer-event-resolve = Answer given
officer-event-rate = Citizen's rating
officer-event-rating_comment = Citizen's comment
officer-event-reopen = Reopened
officer-event-reaccept = Back in progress
officer-event-extend = Extended
officer-event-close = Closed
officer-event-identity_viewed = A head viewed the petitioner's identity
officer-event-link_chat = Citizen linked their chat
officer-event-other = Other update

officer-stats =
    📊 <b>Figures for { $month } — { $unit }</b>
    • Received this month: { $received }
    • Waiting for a decision: { $waiting }
    • In progress: { $in_progress }
    • Resolved this month: { $resolved } (on time: { $on_time })
    • Overdue now: { $overdue }
officer-stats-rate = • On-time rate: { NUMBER($rate, maximumFractionDigits: 1) }%
officer-stats-rate-none = • On-time rate: nothing resolved this month yet

## The denouncer's identity (private chat, unit heads only)

officer-identity-private-only = For confidentiality, a petitioner's identity is shown only in a private chat with the bot: /identity <code>code</code>
officer-identity-usage = Please add the ticket code, for example: /identity TC26-00001
officer-identity-refused = You are not allowed to see who filed this ticket.
officer-identity-anonymous = Ticket <b>{ $code }</b> was filed anonymously; there is no identity to show.
officer-identity =
    🔒 <b>Who filed ticket { $code }</b> (confidential; this view was written to the audit log)
    Name: { $name }
    Phone: { $phone }
    Address: { $address }

## Forum topics

officer-topic-name = { $emoji } { $code } · { $title }

## /new: a petition received offline

officer-new-intro = 📝 <b>Record a petition received on paper, by phone or in person</b>
officer-new-ask-kind = Step 1: choose the kind of petition.
officer-new-ask-category = Step 2: choose the category.
officer-new-ask-commune = Step 3: choose where it happened.
officer-new-ask-description = Step 4: type a summary of the petition.
officer-new-ask-name = Step 5: type the petitioner's full name.
officer-new-ask-phone = Step 6: type the petitioner's phone number (e.g. 0905 123 456).
officer-new-ask-address = Step 7: type the petitioner's address.
officer-new-ask-received = Step 8: type the day it was received as day/month/year (e.g. 14/11/2026).
officer-new-ask-origin = Step 9: how was it received?
officer-new-ask-confirm = Check the details, then press Record.
officer-new-summary =
    <b>The petition</b>
    Kind: { $kind }
    Category: { $category }
    Place: { $commune }
    Petitioner: { $name } · { $phone }
    Address: { $address }
    Received: { $received } ({ $origin })
    <i>Content:</i> { $description }
officer-new-anonymous = anonymous
officer-new-skip = Skip
officer-new-today = Today
officer-new-confirm = ✅ Record
officer-origin-paper = On paper
officer-origin-phone = By phone
officer-origin-in_person = In person
officer-origin-chat = By chat
officer-new-pick = Please choose one of the buttons below (or type its number).
officer-new-description-invalid = The content must be { $min } to { $max } characters long. Please type it again.
officer-new-name-invalid = Please type the petitioner's name.
officer-new-phone-invalid = That phone number is not valid. Please type it again, e.g. 0905 123 456.
officer-new-address-invalid = Please type the petitioner's address.
officer-new-date-invalid = Please type the date as day/month/year, e.g. 14/11/2026.
officer-new-date-future = The day received cannot be after today. Please type it again.
officer-new-cancelled = Recording the petition was cancelled.
officer-new-to-cao-private = To keep the denouncer's identity confidential, a denunciation is recorded in a private chat with the bot: send /new to the bot.
officer-new-done = ✅ Petition recorded as ticket <b>{ $code }</b>, sent to { $unit }.
officer-new-link-hint = The petitioner can get notifications by chat by sending the bot the code <b>{ $code }</b> and the phone number on the petition.
officer-card-moved = ↪️ The ticket was transferred to { $unit }; this unit no longer acts on this card.

## Delivery failures in /stats, for admins

officer-stats-failures = 📮 Messages the system could not deliver (admins only): <b>{ $count }</b>
officer-stats-failure = • { $at } · { $purpose } · after { $attempts } attempts: { $reason }
