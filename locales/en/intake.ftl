## The citizen's intake, one question per message

intake-intro = I will ask one thing at a time. You can choose <b>Back</b> or <b>Cancel</b> at any moment.
intake-step = <b>Step { $number }/{ $total }</b>
intake-back = ⬅️ Back
intake-cancel = ✖️ Cancel
intake-skip = Skip
intake-stale-button = That step is over. Please answer the current question:
intake-cancelled = Cancelled. Nothing was sent.
intake-choose-from-list = Please choose one of the options below (press a button or type its number).

intake-ask-kind = What would you like to send?
    • <b>Report</b>: tell us about a problem (pothole, flooding, noise, litter...)
    • <b>Recommendation</b>: a proposal to the authorities
    • <b>Complaint</b>: you disagree with an administrative decision or act that affects you
    • <b>Denunciation</b>: a violation of the law by an official or an organisation
intake-kind-phan_anh = 📣 Report
intake-kind-kien_nghi = 💡 Recommendation
intake-kind-khieu_nai = ⚖️ Complaint
intake-kind-to_cao = 🚨 Denunciation

intake-ask-category = Which area is it about?
intake-suggested = { $name } (suggested)

intake-ask-commune = In which commune or ward did it happen? You can also share your location 📍 and I will find it.
intake-commune-unknown = Not sure / elsewhere
intake-location-unknown = I could not tell the commune from this location. Please choose from the list.
intake-location-commune = 📍 The location you sent is in <b>{ $commune }</b>.

intake-ask-description = Please describe it: what, where, since when. From { $min } to { $max } characters.
intake-description-needed = Please type the description as text.
intake-description-short = That is a little short ({ $length } characters). Please write at least { $min } characters so the officers understand what happened.
intake-description-long = The text has { $length } characters, more than the limit of { $max }. Please shorten it and send it again; details can go in photos or documents at the next step.

intake-ask-attachments = Do you have photos, documents or voice messages? Send up to { $max } files (received: { $count }). When you are done, choose below.
intake-attachments-skip = None, skip
intake-attachments-done = ✅ Done
intake-attachment-received-photo = 🖼 Photo received ({ $count }/{ $max }).
intake-attachment-received-document = 📄 Document received ({ $count }/{ $max }).
intake-attachment-received-voice = 🎙 Voice message received ({ $count }/{ $max }).
intake-attachments-full = That makes { $max } files, I cannot take more. Choose <b>Done</b> to continue.
intake-attachment-unsupported = I could not receive this file. You can send a photo, or describe it in text.
intake-attachments-hint = Send photos or documents here, or choose below to continue.

intake-ask-identity = Would you like to leave your name and phone number so the officers can contact you if needed? If not, you will still get the answer here.
intake-identity-give = 👤 Leave my contact details
intake-identity-anonymous = 🙈 Send anonymously
intake-ask-identity-to-cao = Under the Law on Denunciations, a denouncer gives their name, address and a way to be contacted. <b>Your identity is protected by law and kept confidential</b>: only the heads of the handling unit see it, nowhere else.
    If you do not give it, your message is still received as <b>information to check</b>, but it is not handled as a denunciation.
intake-identity-give-secret = 🔒 Give my details (kept confidential)
intake-identity-anonymous-report = Send anonymously (information to check only)
intake-ask-name = Your full name?
intake-ask-name-required = A complaint needs the complainant's full name, address and phone number (Law on Complaints, Art. 8).
    Your full name?
intake-name-invalid = Please type your full name (at most { $max } characters).
intake-ask-address = Your address (house number, street, commune/ward)?
intake-address-invalid = Please type a fuller address (5 to { $max } characters).
intake-ask-phone = Your phone number? Type it (for example 0905 123 456), or press <b>📱 Share my phone number</b> if you see it below.
intake-share-phone = 📱 Share my phone number
intake-or-go-back = Or:
intake-phone-invalid = That phone number does not look right. Please type a Vietnamese mobile or landline number, for example 0905 123 456.
intake-phone-ok = Got your number { $phone }.

intake-ask-consent = <b>Consent to processing your personal data</b>
    The name, address and phone number you give are used only to receive, handle and answer this petition (Law on Personal Data Protection 2025).
    • Who sees them: officers of the unit handling it; for a denunciation, only the unit's heads, in confidence.
    • Kept: while it is handled, then archived as the law on records requires.
    • Your rights: see, correct, or withdraw your consent (type /forgetme) at any time.
    Do you agree? (text version { $version })
intake-consent-yes = ✅ I agree
intake-consent-no = I do not agree
intake-consent-refused = Your personal details will not be kept. It is sent anonymously; the officers will answer you only here.
intake-consent-refused-to-cao = Your personal details will not be kept. It is sent anonymously as information to check, not handled as a denunciation.
intake-consent-refused-khieu-nai = A complaint cannot be anonymous, so it cannot be sent without your consent. You can go to the citizen reception office in person, or send an anonymous <b>report</b> instead.

intake-summary-title = <b>Please check before sending</b>
intake-summary-kind = Kind: { $kind }
intake-summary-category = Area: { $category }
intake-summary-commune = Place: { $commune }
intake-summary-description = Description: { $description }
intake-summary-attachments = Attachments: { $count }
intake-summary-identity = From: { $name } · { $phone } · { $address }
intake-summary-anonymous = From: anonymous
intake-summary-anonymous-report = From: anonymous (information to check)
intake-signature-note = ℹ️ This message is a first intake. The unit may ask you to sign the petition or to come to a citizen reception session to complete it as the law requires.
intake-confirm = ✅ Send
intake-edit = ✏️ Edit
intake-ask-edit = What would you like to change?
intake-field-kind = Kind
intake-field-category = Area
intake-field-commune = Place
intake-field-description = Description
intake-field-attachments = Attachments
intake-field-identity = Your details
intake-submit-invalid = Something is not valid; please check and correct it.
intake-submitted = ✅ <b>Sent!</b>
    Ticket code: <b>{ $code }</b>
    Received by: { $unit }
    You will be told how it is handled by: <b>{ $due }</b>
    Type this code at any time to see where it stands.
intake-submitted-report-only = It is recorded as anonymous information for the authorities to check.
