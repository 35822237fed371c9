## The ticket card in a unit's group

card-title = 📋 <b>{ $code }</b> · { $kind }
card-status = Status: <b>{ $status }</b>
card-report-only = ⚠️ Anonymous denunciation: received as information to check, not handled as a denunciation.
card-category = Category: { $category }
card-commune = Area: { $commune }
card-received = Received: { $received }
card-due = Due: <b>{ $due }</b>
card-identity = From: { $name } · { $phone }
card-identity-anonymous = From: anonymous
card-identity-confidential = Denouncer: kept confidential
card-attachments = Attachments: { $count }
card-description-shortened = Long description, the card shows its beginning; in full: /ticket { $code }
card-description = <i>Description:</i> { $description }

action-accept = ✅ Accept
action-transfer = ↪️ Transfer
action-guide = 🧭 Guide
action-reject = ⛔ Reject
action-info = ❓ Ask for information
action-resolve = ✔️ Resolved
action-extend = ⏳ Extend
action-note = 📝 Note

## Messages to a unit's group about a ticket

unit-citizen-info = 📨 The citizen added information to ticket <b>{ $code }</b>:
    { $text }
unit-citizen-message = 💬 The citizen wrote about ticket <b>{ $code }</b>:
    { $text }
unit-rated = ⭐ Ticket <b>{ $code }</b> was rated { $stars } by the citizen. Comment: { $comment }
unit-rating-comment = 💬 The citizen's comment on ticket <b>{ $code }</b>: { $comment }
unit-reopened = 🔁 The citizen is not satisfied; ticket <b>{ $code }</b> is reopened. Reason: { $reason }
unit-transferred-out = ↪️ Ticket <b>{ $code }</b> was transferred to { $unit }.
