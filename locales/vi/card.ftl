## The ticket card in a unit's group

card-title = 📋 <b>{ $code }</b> · { $kind }
card-status = Trạng thái: <b>{ $status }</b>
card-report-only = ⚠️ Tố cáo nặc danh: chỉ tiếp nhận như thông tin để kiểm tra, không xử lý như đơn tố cáo.
card-category = Lĩnh vực: { $category }
card-commune = Địa bàn: { $commune }
card-received = Tiếp nhận lúc: { $received }
card-due = Hạn xử lý: <b>{ $due }</b>
card-identity = Người gửi: { $name } · { $phone }
card-identity-anonymous = Người gửi: ẩn danh
card-identity-confidential = Người tố cáo: được giữ bí mật
card-attachments = Tệp đính kèm: { $count }
card-description-shortened = Nội dung dài, thẻ chỉ hiện phần đầu; xem đầy đủ: /ticket { $code }
card-description = <i>Nội dung:</i> { $description }

action-accept = ✅ Tiếp nhận
action-transfer = ↪️ Chuyển đơn
action-guide = 🧭 Hướng dẫn
action-reject = ⛔ Từ chối
action-info = ❓ Yêu cầu bổ sung
action-resolve = ✔️ Đã giải quyết
action-extend = ⏳ Gia hạn
action-note = 📝 Ghi chú

## Messages to a unit's group about a ticket

unit-citizen-info = 📨 Người dân bổ sung thông tin cho hồ sơ <b>{ $code }</b>:
    { $text }
unit-citizen-message = 💬 Người dân nhắn về hồ sơ <b>{ $code }</b>:
    { $text }
unit-rated = ⭐ Hồ sơ <b>{ $code }</b> được người dân đánh giá { $stars }. Góp ý: { $comment }
unit-rating-comment = 💬 Góp ý của người dân về hồ sơ <b>{ $code }</b>: { $comment }
unit-reopened = 🔁 Người dân chưa hài lòng, hồ sơ <b>{ $code }</b> được mở lại. Lý do: { $reason }
unit-transferred-out = ↪️ Hồ sơ <b>{ $code }</b> đã được chuyển đến { $unit }.
