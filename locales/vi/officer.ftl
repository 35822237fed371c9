## The officers' side: a unit's group and staff in a private chat

officer-not-permitted = Bạn không có quyền thực hiện thao tác này.
officer-heads-only = Bạn không có quyền thực hiện thao tác này: chỉ lãnh đạo đơn vị được chuyển đơn, từ chối hoặc gia hạn.
officer-group-not-registered = Nhóm này chưa được đăng ký là nhóm làm việc của đơn vị nào, nên bot không hiển thị hồ sơ tại đây. Vui lòng liên hệ quản trị viên.
officer-stale = Thẻ hồ sơ này đã cũ, thao tác không được thực hiện. Thẻ đang được cập nhật, vui lòng xem lại và thao tác trên thẻ mới.
officer-stale-text = Hồ sơ <b>{ $code }</b> vừa thay đổi trong lúc bạn nhập nội dung nên thao tác chưa được thực hiện. Vui lòng xem lại thẻ hồ sơ rồi thao tác lại.
officer-too-late = Hồ sơ vừa được cán bộ khác xử lý trước. Vui lòng xem trạng thái mới trên thẻ.
officer-accepted = Đã tiếp nhận hồ sơ { $code }.
officer-cancel = ✖️ Hủy
officer-back = ⬅️ Quay lại
officer-cancelled = Đã hủy thao tác đang dở.
officer-nothing-to-cancel = Không có thao tác nào đang dở để hủy.

officer-help =
    <b>Hướng dẫn dành cho cán bộ</b>
    • Bấm các nút dưới thẻ hồ sơ để tiếp nhận, chuyển đơn, hướng dẫn, yêu cầu bổ sung, trả lời kết quả, từ chối, gia hạn hoặc ghi chú nội bộ.
    • Trả lời (reply) vào thẻ hồ sơ hoặc tin nhắn của người dân để gửi nội dung, ảnh, tệp cho người dân; tin gửi đi mang tên đơn vị, không mang tên cán bộ.
    • /open — hồ sơ đang xử lý, hạn gần nhất trước
    • /overdue — hồ sơ quá hạn
    • /ticket <code>mã</code> — xem lại thẻ và lịch sử xử lý hồ sơ
    • /stats — số liệu của đơn vị trong tháng
    • /new — nhập đơn nhận trực tiếp, qua bưu điện hoặc điện thoại
    • /cancel — hủy thao tác đang dở
    Lãnh đạo đơn vị xem danh tính người tố cáo bằng lệnh /identity <code>mã</code> trong tin nhắn riêng với bot.

## Prompts for the text an action needs (force reply)

officer-prompt-guide = 🧭 Nhập nội dung hướng dẫn gửi người dân cho hồ sơ <b>{ $code }</b> (trả lời tin nhắn này). Gửi /cancel để hủy.
officer-prompt-info = ❓ Nhập nội dung cần người dân bổ sung cho hồ sơ <b>{ $code }</b> (trả lời tin nhắn này). Gửi /cancel để hủy.
officer-prompt-resolve = ✔️ Nhập kết quả giải quyết hồ sơ <b>{ $code }</b> để trả lời người dân (trả lời tin nhắn này). Gửi /cancel để hủy.
officer-prompt-reject = ⛔ Nhập lý do hồ sơ <b>{ $code }</b> không đủ điều kiện xử lý (trả lời tin nhắn này). Gửi /cancel để hủy.
officer-prompt-extend = ⏳ Nhập lý do gia hạn hồ sơ <b>{ $code }</b> (trả lời tin nhắn này). Gửi /cancel để hủy.
officer-prompt-note = 📝 Nhập ghi chú nội bộ cho hồ sơ <b>{ $code }</b>; ghi chú không gửi cho người dân (trả lời tin nhắn này). Gửi /cancel để hủy.
officer-prompt-empty = Vui lòng nhập nội dung bằng chữ cho hồ sơ <b>{ $code }</b>, hoặc gửi /cancel để hủy.

officer-done-guide = 🧭 Đã gửi hướng dẫn cho người dân về hồ sơ <b>{ $code }</b>.
officer-done-info = ❓ Đã gửi yêu cầu bổ sung thông tin cho người dân về hồ sơ <b>{ $code }</b>.
officer-done-resolve = ✔️ Đã gửi kết quả giải quyết hồ sơ <b>{ $code }</b> cho người dân.
officer-done-reject = ⛔ Đã thông báo hồ sơ <b>{ $code }</b> không đủ điều kiện xử lý.
officer-done-extend = ⏳ Đã gia hạn hồ sơ <b>{ $code }</b>.
officer-done-note = 📝 Đã lưu ghi chú nội bộ cho hồ sơ <b>{ $code }</b>.

## Transfer

officer-transfer-pick = ↪️ Chọn đơn vị nhận hồ sơ <b>{ $code }</b>:
officer-transferred = Đã chuyển hồ sơ { $code } đến { $unit }.
officer-transfer-done = ↪️ Hồ sơ <b>{ $code }</b> đã được chuyển đến { $unit }.
officer-transfer-cancelled = Đã hủy chuyển hồ sơ <b>{ $code }</b>.

## Replies to the citizen

officer-reply-sent = ✉️ Đã gửi tin nhắn cho người dân về hồ sơ <b>{ $code }</b>.
officer-reply-recorded = 📝 Đã ghi nhận nội dung trả lời vào hồ sơ <b>{ $code }</b>. Người dân chưa liên kết hồ sơ với tài khoản nhắn tin nên chưa nhận được; vui lòng liên hệ qua điện thoại hoặc văn bản.
officer-reply-elsewhere = Hồ sơ <b>{ $code }</b> không còn do đơn vị này xử lý; tin nhắn chưa được gửi cho người dân.
officer-unit-linked = 🔗 Người dân đã liên kết hồ sơ <b>{ $code }</b> với tài khoản nhắn tin. Từ nay có thể trả lời người dân bằng cách trả lời vào thẻ hồ sơ.

## Lists, a ticket's history, figures

officer-open-title = 📂 <b>Hồ sơ đang xử lý — { $unit }</b> ({ $total } hồ sơ, trang { $page }/{ $pages }):
officer-open-empty = Đơn vị hiện không có hồ sơ nào đang xử lý.
officer-overdue-title = ⏰ <b>Hồ sơ quá hạn — { $unit }</b> ({ $total } hồ sơ, trang { $page }/{ $pages }):
officer-overdue-empty = Đơn vị không có hồ sơ quá hạn. 👍
officer-list-line = { $number }. <code>{ $code }</code> · { $kind } · { $status } · hạn { $due }
officer-list-line-overdue = { $number }. <code>{ $code }</code> · { $kind } · { $status } · hạn { $due } · ⚠️ quá hạn
officer-page-previous = ◀️ Trang trước
officer-page-next = Trang sau ▶️

officer-ticket-usage = Vui lòng gửi kèm mã hồ sơ, ví dụ: /ticket PA26-00042
officer-ticket-not-here = Không tìm thấy hồ sơ { $code } trong số hồ sơ của đơn vị này.
officer-history-title = 🕘 <b>Lịch sử xử lý</b>
officer-history-earlier = … và { $count } bước trước đó
officer-history-line = • { $at } · { $action } ({ $who })
officer-history-line-note = • { $at } · { $action } ({ $who }): { $note }
officer-who-staff = cán bộ
officer-who-citizen = người dân
officer-who-system = hệ thống

officer-event-submit = Tiếp nhận đơn
officer-event-accept = Thụ lý
officer-event-transfer = Chuyển đơn đi
officer-event-transfer_in = Nhận đơn chuyển đến
officer-event-guide = Hướng dẫn
officer-event-reject = Từ chối
officer-event-request_info = Yêu cầu bổ sung
officer-event-provide_info = Người dân bổ sung thông tin
officer-event-citizen_message = Người dân nhắn tin
officer-event-reply = Trả lời người dân
officer-event-note = Ghi chú nội bộ
officer-event-resolve = Trả lời kết quả giải quyết
officer-event-rate = Người dân đánh giá
officer-event-rating_comment = Người dân góp ý
officer-event-reopen = Mở lại
officer-event-reaccept = Tiếp tục giải quyết
officer-event-extend = Gia hạn
officer-event-close = Kết thúc
officer-event-identity_viewed = Lãnh đạo xem thông tin người gửi
officer-event-link_chat = Người dân liên kết tài khoản nhắn tin
officer-event-other = Cập nhật khác

officer-stats =
    📊 <b>Số liệu tháng { $month } — { $unit }</b>
    • Tiếp nhận trong tháng: { $received }
    • Chờ xử lý: { $waiting }
    • Đang giải quyết: { $in_progress }
    • Đã giải quyết trong tháng: { $resolved } (đúng hạn: { $on_time })
    • Quá hạn hiện nay: { $overdue }
officer-stats-rate = • Tỷ lệ giải quyết đúng hạn: { NUMBER($rate, maximumFractionDigits: 1) }%
officer-stats-rate-none = • Tỷ lệ giải quyết đúng hạn: chưa có hồ sơ giải quyết trong tháng

## The denouncer's identity (private chat, unit heads only)

officer-identity-private-only = Vì lý do bảo mật, thông tin người gửi chỉ được xem trong tin nhắn riêng với bot: /identity <code>mã</code>
officer-identity-usage = Vui lòng gửi kèm mã hồ sơ, ví dụ: /identity TC26-00001
officer-identity-refused = Bạn không có quyền xem thông tin người gửi của hồ sơ này.
officer-identity-anonymous = Hồ sơ <b>{ $code }</b> được gửi ẩn danh, không có thông tin người gửi.
officer-identity =
    🔒 <b>Thông tin người gửi hồ sơ { $code }</b> (bảo mật; lần xem này đã được ghi nhật ký)
    Họ tên: { $name }
    Điện thoại: { $phone }
    Địa chỉ: { $address }

## Forum topics

officer-topic-name = { $emoji } { $code } · { $title }

## /new: a petition received offline

officer-new-intro = 📝 <b>Nhập đơn nhận trực tiếp, qua bưu điện hoặc điện thoại</b>
officer-new-ask-kind = Bước 1: Chọn loại đơn.
officer-new-ask-category = Bước 2: Chọn lĩnh vực.
officer-new-ask-commune = Bước 3: Chọn địa bàn xảy ra vụ việc.
officer-new-ask-description = Bước 4: Nhập tóm tắt nội dung đơn.
officer-new-ask-name = Bước 5: Nhập họ tên người gửi đơn.
officer-new-ask-phone = Bước 6: Nhập số điện thoại người gửi đơn (ví dụ 0905 123 456).
officer-new-ask-address = Bước 7: Nhập địa chỉ người gửi đơn.
officer-new-ask-received = Bước 8: Nhập ngày nhận đơn theo dạng ngày/tháng/năm (ví dụ 14/11/2026).
officer-new-ask-origin = Bước 9: Đơn được nhận qua hình thức nào?
officer-new-ask-confirm = Kiểm tra lại thông tin rồi bấm Ghi nhận.
officer-new-summary =
    <b>Thông tin đơn</b>
    Loại đơn: { $kind }
    Lĩnh vực: { $category }
    Địa bàn: { $commune }
    Người gửi: { $name } · { $phone }
    Địa chỉ: { $address }
    Ngày nhận: { $received } ({ $origin })
    <i>Nội dung:</i> { $description }
officer-new-anonymous = ẩn danh
officer-new-skip = Bỏ qua
officer-new-today = Hôm nay
officer-new-confirm = ✅ Ghi nhận
officer-origin-paper = Đơn giấy
officer-origin-phone = Điện thoại
officer-origin-in_person = Trực tiếp
officer-origin-chat = Nhắn tin
officer-new-pick = Vui lòng chọn một trong các nút bên dưới (hoặc gõ số thứ tự).
officer-new-description-invalid = Nội dung đơn cần từ { $min } đến { $max } ký tự. Vui lòng nhập lại.
officer-new-name-invalid = Vui lòng nhập họ tên người gửi đơn.
officer-new-phone-invalid = Số điện thoại chưa hợp lệ. Vui lòng nhập lại, ví dụ 0905 123 456.
officer-new-address-invalid = Vui lòng nhập địa chỉ người gửi đơn.
officer-new-date-invalid = Ngày chưa đúng dạng ngày/tháng/năm, ví dụ 14/11/2026. Vui lòng nhập lại.
officer-new-date-future = Ngày nhận đơn không thể sau ngày hôm nay. Vui lòng nhập lại.
officer-new-cancelled = Đã hủy nhập đơn.
officer-new-to-cao-private = Để giữ bí mật danh tính người tố cáo, đơn tố cáo cần được nhập trong tin nhắn riêng với bot: gửi /new cho bot.
officer-new-done = ✅ Đã ghi nhận đơn, mã hồ sơ <b>{ $code }</b>, chuyển đến { $unit }.
officer-new-link-hint = Người gửi đơn có thể nhận thông báo qua tin nhắn bằng cách gửi cho bot mã hồ sơ <b>{ $code }</b> và số điện thoại đã khai.
officer-card-moved = ↪️ Hồ sơ đã được chuyển đến { $unit }; đơn vị này không còn thao tác trên thẻ này.

## Delivery failures in /stats, for admins

officer-stats-failures = 📮 Tin nhắn hệ thống không gửi được (chỉ quản trị viên thấy): <b>{ $count }</b>
officer-stats-failure = • { $at } · { $purpose } · sau { $attempts } lần thử: { $reason }
