## Kinds of petition and ticket statuses

kind-phan_anh = Report
kind-kien_nghi = Recommendation
kind-khieu_nai = Complaint
kind-to_cao = Denunciation

status-draft = Draft
status-submitted = Received, awaiting a decision
status-accepted = In progress
status-transferred = Transferred
status-guided = Guidance given
status-rejected = Not eligible for handling
status-needs_info = Waiting for more information
status-resolved = Answered
status-closed = Closed
status-reopened = Reopened

## Errors, shown politely to whoever caused them

error-generic = Sorry, something went wrong. Please try again in a few minutes.
error-illegal-transition = This cannot be done: the ticket is in another state now.
error-not-permitted = You are not allowed to do this.
error-ticket-not-found = No ticket was found with this code. Please check it (for example: PA26-00042).
error-invalid-input = Something in this is not valid; please check it.
error-extension-not-allowed = The law does not allow extending this deadline.
error-concurrent-update = Someone else has just updated this ticket. Please look at its new state.
error-config = The system is misconfigured. Please tell the administrator.
error-rate-limited = You have sent { $limit } petitions in the last hour. Please wait a while before sending more.
