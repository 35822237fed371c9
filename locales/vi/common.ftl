## Kinds of petition and ticket statuses

kind-phan_anh = Phản ánh
kind-kien_nghi = Kiến nghị
kind-khieu_nai = Khiếu nại
kind-to_cao = Tố cáo

status-draft = Đang soạn
status-submitted = Đã tiếp nhận, chờ xử lý
status-accepted = Đang giải quyết
status-transferred = Đã chuyển đơn
status-guided = Đã hướng dẫn
status-rejected = Không đủ điều kiện xử lý
status-needs_info = Chờ bổ sung thông tin
status-resolved = Đã trả lời
status-closed = Đã kết thúc
status-reopened = Mở lại

## Errors, shown politely to whoever caused them

error-generic = Xin lỗi, đã có lỗi xảy ra. Vui lòng thử lại sau ít phút.
error-illegal-transition = Không thể thực hiện thao tác này vì hồ sơ đang ở trạng thái khác.
error-not-permitted = Bạn không có quyền thực hiện thao tác này.
error-ticket-not-found = Không tìm thấy hồ sơ với mã này. Vui lòng kiểm tra lại mã (ví dụ: PA26-00042).
error-invalid-input = Thông tin chưa hợp lệ, vui lòng kiểm tra lại.
error-extension-not-allowed = Pháp luật không cho phép gia hạn thời hạn này.
error-concurrent-update = Hồ sơ vừa được người khác cập nhật. Vui lòng xem lại trạng thái mới.
error-config = Cấu hình hệ thống chưa đúng. Vui lòng báo quản trị viên.
error-rate-limited = Bạn đã gửi { $limit } kiến nghị trong một giờ qua. Vui lòng chờ một lúc rồi gửi tiếp.
