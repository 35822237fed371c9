## The citizen's intake, one question per message

intake-intro = Mình sẽ hỏi lần lượt từng bước. Bạn có thể chọn <b>Quay lại</b> hoặc <b>Hủy</b> bất cứ lúc nào.
intake-step = <b>Bước { $number }/{ $total }</b>
intake-back = ⬅️ Quay lại
intake-cancel = ✖️ Hủy
intake-skip = Bỏ qua
intake-stale-button = Bước này đã qua rồi. Mời bạn trả lời câu hỏi hiện tại:
intake-cancelled = Đã hủy. Nội dung chưa được gửi đi.
intake-choose-from-list = Bạn vui lòng chọn một mục bên dưới (bấm nút hoặc gõ số thứ tự).

intake-ask-kind = Bạn muốn gửi loại nào?
    • <b>Phản ánh</b>: báo một sự việc (ổ gà, ngập nước, tiếng ồn, rác thải...)
    • <b>Kiến nghị</b>: đề xuất với cơ quan nhà nước
    • <b>Khiếu nại</b>: không đồng ý với quyết định, hành vi hành chính ảnh hưởng đến bạn
    • <b>Tố cáo</b>: báo hành vi vi phạm pháp luật của cán bộ, tổ chức
intake-kind-phan_anh = 📣 Phản ánh
intake-kind-kien_nghi = 💡 Kiến nghị
intake-kind-khieu_nai = ⚖️ Khiếu nại
intake-kind-to_cao = 🚨 Tố cáo

intake-ask-category = Nội dung thuộc lĩnh vực nào?
intake-suggested = { $name } (gợi ý)

intake-ask-commune = Sự việc xảy ra ở xã, phường nào? Bạn cũng có thể gửi vị trí 📍 để mình tìm giúp.
intake-commune-unknown = Không rõ / nơi khác
intake-location-unknown = Mình chưa xác định được xã, phường từ vị trí này. Bạn vui lòng chọn trong danh sách.
intake-location-commune = 📍 Vị trí bạn gửi thuộc <b>{ $commune }</b>.

intake-ask-description = Bạn hãy mô tả nội dung: việc gì, ở đâu, từ khi nào. Từ { $min } đến { $max } ký tự.
intake-description-needed = Bạn vui lòng gõ nội dung bằng chữ.
intake-description-short = Nội dung hơi ngắn ({ $length } ký tự). Bạn vui lòng viết ít nhất { $min } ký tự để cơ quan hiểu rõ sự việc.
intake-description-long = Nội dung dài { $length } ký tự, vượt quá giới hạn { $max } ký tự. Bạn vui lòng rút gọn rồi gửi lại; phần chi tiết có thể gửi kèm ảnh hoặc tài liệu ở bước sau.

intake-ask-attachments = Bạn có ảnh, tài liệu hoặc tin nhắn thoại kèm theo không? Gửi tối đa { $max } tệp (đã nhận { $count }). Khi xong, chọn mục bên dưới.
intake-attachments-skip = Không có, bỏ qua
intake-attachments-done = ✅ Xong
intake-attachment-received-photo = 🖼 Đã nhận ảnh ({ $count }/{ $max }).
intake-attachment-received-document = 📄 Đã nhận tài liệu ({ $count }/{ $max }).
intake-attachment-received-voice = 🎙 Đã nhận tin nhắn thoại ({ $count }/{ $max }).
intake-attachments-full = Đã đủ { $max } tệp, mình không nhận thêm được. Bạn chọn <b>Xong</b> để tiếp tục.
intake-attachment-unsupported = Mình chưa nhận được tệp này. Bạn có thể gửi ảnh, hoặc mô tả bằng chữ.
intake-attachments-hint = Bạn gửi ảnh/tài liệu vào đây, hoặc chọn mục bên dưới để tiếp tục.

intake-ask-identity = Bạn có muốn để lại họ tên và số điện thoại để cơ quan liên hệ khi cần không? Nếu không, bạn vẫn nhận được trả lời tại đây.
intake-identity-give = 👤 Để lại thông tin liên hệ
intake-identity-anonymous = 🙈 Gửi ẩn danh
intake-ask-identity-to-cao = Theo Luật Tố cáo, người tố cáo cần cung cấp họ tên, địa chỉ và cách liên hệ. <b>Danh tính của bạn được pháp luật bảo vệ và giữ bí mật</b>: chỉ lãnh đạo đơn vị giải quyết được xem, không xuất hiện ở bất kỳ nơi nào khác.
    Nếu bạn không cung cấp, nội dung vẫn được tiếp nhận như một <b>thông tin để kiểm tra</b>, nhưng không được xử lý như đơn tố cáo.
intake-identity-give-secret = 🔒 Cung cấp thông tin (được giữ bí mật)
intake-identity-anonymous-report = Gửi nặc danh (chỉ là thông tin để kiểm tra)
intake-ask-name = Họ và tên của bạn?
intake-ask-name-required = Khiếu nại cần có họ tên, địa chỉ và số điện thoại của người khiếu nại (Luật Khiếu nại, Điều 8).
    Họ và tên của bạn?
intake-name-invalid = Bạn vui lòng gõ họ và tên (tối đa { $max } ký tự).
intake-ask-address = Địa chỉ liên hệ của bạn (số nhà, đường, xã/phường)?
intake-address-invalid = Bạn vui lòng gõ địa chỉ rõ hơn (từ 5 đến { $max } ký tự).
intake-ask-phone = Số điện thoại của bạn? Gõ số (ví dụ 0905 123 456), hoặc bấm nút <b>📱 Gửi số điện thoại</b> nếu có ở bên dưới.
intake-share-phone = 📱 Gửi số điện thoại
intake-or-go-back = Hoặc:
intake-phone-invalid = Số điện thoại chưa đúng. Bạn vui lòng gõ số di động hoặc số cố định Việt Nam, ví dụ 0905 123 456.
intake-phone-ok = Đã nhận số { $phone }.

intake-ask-consent = <b>Đồng ý xử lý dữ liệu cá nhân</b>
    Họ tên, địa chỉ và số điện thoại bạn cung cấp chỉ dùng để tiếp nhận, giải quyết và trả lời nội dung này (Luật Bảo vệ dữ liệu cá nhân 2025).
    • Ai được xem: cán bộ của đơn vị được giao giải quyết; với tố cáo, chỉ lãnh đạo đơn vị và được giữ bí mật.
    • Lưu giữ: trong thời gian giải quyết và lưu trữ hồ sơ theo quy định của pháp luật.
    • Quyền của bạn: xem, sửa, rút lại sự đồng ý (gõ /xoathongtin) bất cứ lúc nào.
    Bạn có đồng ý không? (văn bản { $version })
intake-consent-yes = ✅ Tôi đồng ý
intake-consent-no = Không đồng ý
intake-consent-refused = Thông tin cá nhân sẽ không được lưu. Nội dung được gửi ẩn danh; cơ quan chỉ trả lời bạn tại đây.
intake-consent-refused-to-cao = Thông tin cá nhân sẽ không được lưu. Nội dung được gửi nặc danh như một thông tin để kiểm tra, không xử lý như đơn tố cáo.
intake-consent-refused-khieu-nai = Khiếu nại không thể gửi ẩn danh, nên không gửi được nếu bạn không đồng ý. Bạn có thể đến trực tiếp trụ sở tiếp công dân, hoặc chọn gửi <b>phản ánh</b> ẩn danh.

intake-summary-title = <b>Kiểm tra lại trước khi gửi</b>
intake-summary-kind = Loại: { $kind }
intake-summary-category = Lĩnh vực: { $category }
intake-summary-commune = Địa bàn: { $commune }
intake-summary-description = Nội dung: { $description }
intake-summary-attachments = Tệp đính kèm: { $count }
intake-summary-identity = Người gửi: { $name } · { $phone } · { $address }
intake-summary-anonymous = Người gửi: ẩn danh
intake-summary-anonymous-report = Người gửi: nặc danh (thông tin để kiểm tra)
intake-signature-note = ℹ️ Tin nhắn này là bước tiếp nhận ban đầu. Đơn vị giải quyết có thể đề nghị bạn ký đơn hoặc đến buổi tiếp công dân để hoàn tất thủ tục theo quy định.
intake-confirm = ✅ Gửi
intake-edit = ✏️ Sửa
intake-ask-edit = Bạn muốn sửa phần nào?
intake-field-kind = Loại
intake-field-category = Lĩnh vực
intake-field-commune = Địa bàn
intake-field-description = Nội dung
intake-field-attachments = Tệp đính kèm
intake-field-identity = Thông tin người gửi
intake-submit-invalid = Có thông tin chưa hợp lệ, bạn vui lòng kiểm tra và sửa lại.
intake-submitted = ✅ <b>Đã gửi thành công!</b>
    Mã hồ sơ: <b>{ $code }</b>
    Đơn vị tiếp nhận: { $unit }
    Hạn thông báo kết quả xử lý ban đầu: <b>{ $due }</b>
    Bạn gõ mã này bất cứ lúc nào để xem tình trạng hồ sơ.
intake-submitted-report-only = Nội dung được ghi nhận là thông tin nặc danh để cơ quan kiểm tra.
