## Notifications to the citizen

notify-accepted = ✅ Ticket <b>{ $code }</b> was accepted by { $unit }. It is due to be resolved by <b>{ $due }</b>.
notify-transferred = ↪️ Ticket <b>{ $code }</b> was transferred to <b>{ $unit }</b>, the competent body. They will contact you and answer.
notify-guided = 🧭 About ticket <b>{ $code }</b>, { $unit } gives this guidance:
    { $text }
notify-rejected = Ticket <b>{ $code }</b> cannot be handled. Reason ({ $unit }):
    { $text }
notify-needs-info = ❓ { $unit } needs more information about ticket <b>{ $code }</b>:
    { $text }

    Just answer here (a message or a photo).
notify-reply = 💬 { $unit } replied about ticket <b>{ $code }</b>:
    { $text }
notify-resolved = ✔️ { $unit } resolved ticket <b>{ $code }</b>:
    { $text }

    How satisfied are you with this? Choose the stars below. If you are not satisfied, within { $days } days you can send /unsatisfied { $code } to reopen it.
notify-extended = ⏳ The deadline of ticket <b>{ $code }</b> was extended by { $unit } to <b>{ $due }</b>. Reason: { $text }
