## Notifications to the citizen

notify-accepted = ✅ Hồ sơ <b>{ $code }</b> đã được { $unit } thụ lý giải quyết. Thời hạn giải quyết: <b>{ $due }</b>.
notify-transferred = ↪️ Hồ sơ <b>{ $code }</b> đã được chuyển đến <b>{ $unit }</b> là cơ quan có thẩm quyền. Đơn vị này sẽ liên hệ và trả lời bạn.
notify-guided = 🧭 Về hồ sơ <b>{ $code }</b>, { $unit } hướng dẫn như sau:
    { $text }
notify-rejected = Hồ sơ <b>{ $code }</b> không đủ điều kiện xử lý. Lý do ({ $unit }):
    { $text }
notify-needs-info = ❓ { $unit } cần bạn bổ sung thông tin cho hồ sơ <b>{ $code }</b>:
    { $text }

    Bạn chỉ cần trả lời ngay tại đây (tin nhắn hoặc ảnh).
notify-reply = 💬 { $unit } trả lời về hồ sơ <b>{ $code }</b>:
    { $text }
notify-resolved = ✔️ { $unit } đã giải quyết hồ sơ <b>{ $code }</b>:
    { $text }

    Bạn hài lòng với kết quả này đến mức nào? Chọn số sao bên dưới. Nếu chưa hài lòng, trong { $days } ngày bạn có thể gửi /chuahailong { $code } để mở lại hồ sơ.
notify-extended = ⏳ Thời hạn giải quyết hồ sơ <b>{ $code }</b> được { $unit } gia hạn đến <b>{ $due }</b>. Lý do: { $text }
