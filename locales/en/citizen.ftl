## The citizen's side outside the intake

citizen-welcome = Hello! 👋 This is <b>Nghe dân nói</b>, your local government's channel: send reports, recommendations, complaints and denunciations, and follow how they are handled, right here.
    🔒 Personal details are kept only if you agree, and used only to handle what you send. Type /privacy for details.
citizen-menu = What would you like to do?
menu-pa = 📣 Send a report
menu-kg = 💡 Send a recommendation
menu-kn = ⚖️ Send a complaint
menu-tc = 🚨 Send a denunciation
menu-status = 🔎 Look up a ticket
menu-my = 📂 My tickets
menu-help = ❓ Help
citizen-help = <b>Help</b>
    • Choose what to send from the menu, then answer each question; choose <b>Back</b> or <b>Cancel</b> at any time.
    • After sending you get a <b>ticket code</b> (for example PA26-00042). Type it to see where it stands.
    • /my: my tickets · /status CODE: look up · /cancel: cancel what you are doing
    • /language: change language · /subscribe: weekly citizen reception schedule
    • /link: link a ticket you filed in person · /privacy: your privacy
citizen-unknown-command = I do not know this command. Please choose from the menu.
citizen-ask-language = Chọn ngôn ngữ / Choose your language:
citizen-language-set = Switched to English.
citizen-ask-code = Type the ticket code to look up (for example PA26-00042):
citizen-code-invalid = A ticket code looks like PA26-00042 (2 letters, 2 digits of the year, a dash, 5 digits). Please type it again, or /cancel.
citizen-subscribed = ✅ You will get the weekly citizen reception and dialogue schedule. Type /unsubscribe to stop.
citizen-unsubscribed = You will no longer get the weekly schedule.
citizen-text-kept = I have kept what you just wrote. Choose below what to send it as.
citizen-unsupported = I cannot read this kind of message. Please type it as text (address, phone...) or send a photo.
citizen-which-ticket = Which ticket is this information for?
citizen-info-sent = ✅ Your information was passed to the unit handling ticket <b>{ $code }</b>.
citizen-followup-ask = Type what you would like to add (or send a photo):
citizen-followup-closed = Ticket <b>{ $code }</b> is finished and takes no more information. You can send a new one from the menu.
citizen-thanks = Thank you! 🙏
citizen-skip = Skip
citizen-rated = Thank you for your rating { $stars }! Would you like to add a comment? Type it, or choose Skip.
citizen-rating-over = This ticket has been rated already or no longer takes a rating.
citizen-reopen-ask-reason = Please tell us why you are not satisfied, so the unit can look at it again:
citizen-reopen-not-resolved = Ticket <b>{ $code }</b> has no answer yet, so it cannot be reopened.
citizen-reopen-too-late = More than { $days } days have passed since the answer, so it cannot be reopened. You can send a new petition or a complaint.
citizen-reopened = 🔁 Ticket <b>{ $code }</b> was reopened and passed back to the unit.
citizen-link-ask-code = Type the ticket code on your receipt (for example KN26-00012):
citizen-link-ask-phone = Type the phone number you gave when filing it:
citizen-link-failed = Could not link it: the code or the phone number does not match. Please check them, or contact the office where you filed it.
citizen-link-too-many = Too many attempts to link a ticket. Please try again in an hour, or contact the office where you filed it.
citizen-linked = ✅ Ticket <b>{ $code }</b> is linked. You will be notified about it here from now on.
citizen-privacy = <b>Privacy</b>
    • I keep your chat account id to send you answers.
    • Your name, address and phone are kept only if you agree, and only to handle what you send.
    • A denouncer's identity is kept confidential under the Law on Denunciations.
    • Type /forgetme to withdraw your consent and erase the personal details kept on your account.
citizen-consent-withdrawn = Your consent is withdrawn and your name, address and phone were erased from your account. Petitions already sent are still handled as the law requires.

lookup-title = 📋 <b>{ $code }</b> · { $kind }
lookup-status = Status: <b>{ $status }</b>
lookup-unit = Unit: { $unit }
lookup-received = Received: { $date }
lookup-due = Due: { $date }
lookup-last-answer = Latest answer ({ $date }): { $text }
lookup-send-more = ✉️ Send more information
my-none = You have not sent anything yet.
my-title = <b>Your tickets</b> (page { $page }/{ $pages }, { $total } in all):
my-line = • <b>{ $code }</b> · { $status } · { $date }
my-previous = ⬅️ Previous
my-next = Next ➡️

notify-unsatisfied-button = 😞 Not satisfied

command-start = Start, show the menu
command-status = Look up a ticket by its code
command-my = My tickets
command-cancel = Cancel what you are doing
command-language = Change language
command-subscribe = Weekly citizen reception schedule
command-help = How to use this bot
