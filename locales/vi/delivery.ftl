## Gửi tin (bot/delivery.py)

# Thêm vào cuối thẻ mới khi thẻ cũ không sửa được nữa (đã bị xoá hoặc quá cũ).
delivery-card-resent = <i>↩️ Thẻ trước của đơn này không sửa được nữa; đây là thẻ mới.</i>
