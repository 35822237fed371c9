## Deadline reminders and escalations (to the unit's group and the leaders' group)

reminder-what-decision = ra quyết định xử lý đơn (thụ lý, chuyển đơn, hướng dẫn hoặc trả lại)
reminder-what-resolution = giải quyết và trả lời công dân
reminder-before = { $days ->
        [0] ⏰ Hồ sơ <b>{ $code }</b> ({ $kind }) đến hạn <b>hôm nay, { $due }</b>: { $what }.
       *[other] ⏰ Hồ sơ <b>{ $code }</b> ({ $kind }) còn <b>{ $days } ngày làm việc</b> để { $what }. Hạn: <b>{ $due }</b>.
    }
reminder-overdue-unit = 🔴 Hồ sơ <b>{ $code }</b> ({ $kind }) đã <b>quá hạn { $days } ngày làm việc</b> (hạn { $due }): { $what }. Đề nghị khẩn trương xử lý.
reminder-overdue-lead = 🔴 Quá hạn: hồ sơ <b>{ $code }</b> ({ $kind }) của { $unit } chậm { $days } ngày làm việc (hạn { $due }): { $what }.

## Weekly digest (to each unit, and the summary to the leaders' group)

digest-title = 📊 <b>Tổng hợp tuần { $start } – { $end }</b>, { $unit }
digest-new = • Tiếp nhận mới: <b>{ $count }</b>
digest-in-progress = • Đang xử lý: <b>{ $count }</b>
digest-due-this-week = • Đến hạn tuần này ({ $start } – { $end }): <b>{ $count }</b>
digest-overdue = • Quá hạn: <b>{ $count }</b>
digest-resolved = • Đã giải quyết tuần qua: <b>{ $count }</b>
digest-on-time = • Tỷ lệ đúng hạn: <b>{ $rate }</b>
digest-rate = { $percent }% ({ $on_time }/{ $total })
digest-rate-none = chưa có hồ sơ giải quyết
digest-summary-title = 📊 <b>Tổng hợp toàn địa bàn, tuần { $start } – { $end }</b>
digest-summary-line = • { $unit }: mới { $new }, đang xử lý { $open }, quá hạn { $overdue }, đã giải quyết { $resolved }, đúng hạn { $rate }
digest-chart-title = { $unit }: 8 tuần gần nhất
digest-chart-title-all = Toàn địa bàn: 8 tuần gần nhất
digest-chart-received = Tiếp nhận
digest-chart-resolved = Đã giải quyết

## Weekly reminders to subscribed citizens

weekly-title = 📅 <b>Lịch tiếp công dân 7 ngày tới</b>
weekly-session = • { $weekday } { $date }, { $time }: { $place }
weekly-session-note = <i>{ $note }</i>
weekly-session-holiday = (Trùng ngày nghỉ lễ: lịch có thể thay đổi, vui lòng liên hệ trước.)
weekly-footer = Để ngừng nhận lịch này, gửi /unsubscribe.
weekly-day-0 = Thứ Hai
weekly-day-1 = Thứ Ba
weekly-day-2 = Thứ Tư
weekly-day-3 = Thứ Năm
weekly-day-4 = Thứ Sáu
weekly-day-5 = Thứ Bảy
weekly-day-6 = Chủ Nhật
