## The citizen's side outside the intake

citizen-welcome = Xin chào! 👋 Đây là kênh <b>Nghe dân nói</b> của chính quyền địa phương: bạn gửi phản ánh, kiến nghị, khiếu nại, tố cáo và theo dõi kết quả giải quyết ngay tại đây.
    🔒 Thông tin cá nhân chỉ được lưu khi bạn đồng ý, và chỉ dùng để giải quyết nội dung bạn gửi. Gõ /baomat để xem chi tiết.
citizen-menu = Bạn muốn làm gì?
menu-pa = 📣 Gửi phản ánh
menu-kg = 💡 Gửi kiến nghị
menu-kn = ⚖️ Gửi khiếu nại
menu-tc = 🚨 Gửi tố cáo
menu-status = 🔎 Tra cứu hồ sơ
menu-my = 📂 Hồ sơ của tôi
menu-help = ❓ Hướng dẫn
citizen-help = <b>Hướng dẫn</b>
    • Chọn loại nội dung trong menu rồi trả lời từng câu hỏi; chọn <b>Quay lại</b> hoặc <b>Hủy</b> bất cứ lúc nào.
    • Sau khi gửi, bạn nhận <b>mã hồ sơ</b> (ví dụ PA26-00042). Gõ mã đó để xem tình trạng.
    • /my: hồ sơ của tôi · /status MÃ: tra cứu · /cancel: hủy thao tác
    • /language: đổi ngôn ngữ · /subscribe: nhận lịch tiếp công dân hằng tuần
    • /lienket: liên kết hồ sơ đã nộp trực tiếp · /baomat: quyền riêng tư
citizen-unknown-command = Mình chưa hiểu lệnh này. Bạn chọn trong menu nhé.
citizen-ask-language = Chọn ngôn ngữ / Choose your language:
citizen-language-set = Đã chuyển sang tiếng Việt.
citizen-ask-code = Bạn gõ mã hồ sơ cần tra cứu (ví dụ PA26-00042):
citizen-code-invalid = Mã hồ sơ có dạng PA26-00042 (2 chữ cái, 2 số năm, dấu gạch, 5 số). Bạn gõ lại giúp mình nhé, hoặc /cancel để thôi.
citizen-subscribed = ✅ Bạn sẽ nhận lịch tiếp công dân và đối thoại hằng tuần. Gõ /unsubscribe để dừng.
citizen-unsubscribed = Bạn sẽ không nhận lịch hằng tuần nữa.
citizen-text-kept = Mình đã ghi lại nội dung bạn vừa gửi. Bạn chọn loại bên dưới để gửi nó đi nhé.
citizen-unsupported = Mình chưa đọc được loại tin này. Bạn vui lòng gõ bằng chữ (địa chỉ, số điện thoại...) hoặc gửi ảnh.
citizen-which-ticket = Bạn đang bổ sung thông tin cho hồ sơ nào?
citizen-info-sent = ✅ Đã chuyển thông tin của bạn đến đơn vị giải quyết hồ sơ <b>{ $code }</b>.
citizen-followup-ask = Bạn gõ nội dung muốn gửi thêm (hoặc gửi ảnh):
citizen-followup-closed = Hồ sơ <b>{ $code }</b> đã kết thúc nên không nhận thêm thông tin. Bạn có thể gửi một nội dung mới từ menu.
citizen-thanks = Cảm ơn bạn! 🙏
citizen-skip = Bỏ qua
citizen-rated = Cảm ơn bạn đã đánh giá { $stars }! Bạn có muốn góp ý thêm không? Gõ góp ý, hoặc chọn Bỏ qua.
citizen-rating-over = Hồ sơ này đã được đánh giá hoặc không còn nhận đánh giá.
citizen-reopen-ask-reason = Bạn cho biết vì sao chưa hài lòng để đơn vị xem xét lại:
citizen-reopen-not-resolved = Hồ sơ <b>{ $code }</b> chưa có kết quả giải quyết nên chưa thể mở lại.
citizen-reopen-too-late = Đã quá { $days } ngày kể từ khi có kết quả nên không mở lại được. Bạn có thể gửi nội dung mới hoặc khiếu nại theo quy định.
citizen-reopened = 🔁 Hồ sơ <b>{ $code }</b> đã được mở lại và chuyển cho đơn vị xem xét.
citizen-link-ask-code = Bạn gõ mã hồ sơ ghi trên giấy biên nhận (ví dụ KN26-00012):
citizen-link-ask-phone = Bạn gõ số điện thoại đã khai khi nộp hồ sơ:
citizen-link-failed = Không liên kết được: mã hồ sơ hoặc số điện thoại không khớp. Bạn kiểm tra lại, hoặc liên hệ nơi đã nộp hồ sơ.
citizen-link-too-many = Bạn đã thử liên kết sai nhiều lần. Vui lòng thử lại sau một giờ, hoặc liên hệ nơi đã nộp hồ sơ.
citizen-linked = ✅ Đã liên kết hồ sơ <b>{ $code }</b>. Từ nay bạn sẽ nhận thông báo về hồ sơ này tại đây.
citizen-privacy = <b>Quyền riêng tư</b>
    • Mình lưu mã tài khoản chat của bạn để gửi trả lời.
    • Họ tên, địa chỉ, số điện thoại chỉ được lưu khi bạn đồng ý, chỉ để giải quyết nội dung bạn gửi.
    • Danh tính người tố cáo được giữ bí mật theo Luật Tố cáo.
    • Gõ /xoathongtin để rút lại sự đồng ý và xóa thông tin cá nhân đã lưu trong hồ sơ tài khoản.
citizen-consent-withdrawn = Đã rút lại sự đồng ý và xóa họ tên, địa chỉ, số điện thoại khỏi tài khoản của bạn. Các hồ sơ đã gửi vẫn được giải quyết theo quy định.

lookup-title = 📋 <b>{ $code }</b> · { $kind }
lookup-status = Tình trạng: <b>{ $status }</b>
lookup-unit = Đơn vị: { $unit }
lookup-received = Ngày tiếp nhận: { $date }
lookup-due = Hạn giải quyết: { $date }
lookup-last-answer = Trả lời mới nhất ({ $date }): { $text }
lookup-send-more = ✉️ Gửi thêm thông tin
my-none = Bạn chưa gửi hồ sơ nào.
my-title = <b>Hồ sơ của bạn</b> (trang { $page }/{ $pages }, tổng { $total }):
my-line = • <b>{ $code }</b> · { $status } · { $date }
my-previous = ⬅️ Trước
my-next = Tiếp ➡️

notify-unsatisfied-button = 😞 Chưa hài lòng

command-start = Bắt đầu, xem menu
command-status = Tra cứu hồ sơ theo mã
command-my = Hồ sơ của tôi
command-cancel = Hủy thao tác đang làm
command-language = Đổi ngôn ngữ
command-subscribe = Nhận lịch tiếp công dân hằng tuần
command-help = Hướng dẫn sử dụng
