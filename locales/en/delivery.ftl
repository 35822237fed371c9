## Delivery (bot/delivery.py)

# Added to a new card when the old one can no longer be edited (deleted or too old).
delivery-card-resent = <i>↩️ The previous card of this ticket can no longer be edited; this is the new one.</i>
