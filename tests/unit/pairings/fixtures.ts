// The school calendar every pairings test counts in, written out by hand.
//
// 2026-2027 学年 (defaults): 第一学期 Tue 2026-09-01 → Wed 2027-01-20; 第二学期 Sat 2027-02-20 → Sat 2027-07-10.
// Test closure 国庆节 Thu 2026-10-01 → Wed 10-07, make-up working day (调休上班) Sat 10-10.
// (A fixture, not the official 2026 holiday notice.)
//
//            Mon Tue Wed Thu Fri Sat Sun      teaching week
// Aug/Sep     31   1   2   3   4   5   6      第1周  (31 Aug is before the semester)
// Sep          7   8   9  10  11  12  13      第2周
// Sep         14  15  16  17  18  19  20      第3周
// Sep         21  22  23  24  25  26  27      第4周
// Sep/Oct     28  29  30 [ 1   2   3   4]     第5周  [..] closed
// Oct        [ 5   6   7]  8   9 (10) 11      第6周  (10) make-up working day
// Oct         12  13  14  15  16  17  18      第7周
//
// Working days in session, month by month (closures NOT subtracted):
//   Sep 2026: 1–4, 7–11, 14–18, 21–25, 28–30            = 22
//   Oct 2026: 1–2, 5–9, 12–16, 19–23, 26–30 = 22, + Sat 10 = 23
//   Nov 2026: 2–6, 9–13, 16–20, 23–27, 30                = 21
//   Dec 2026: 1–4, 7–11, 14–18, 21–25, 28–31             = 23
//   Jan 2027: 1, 4–8, 11–15, 18–20 (semester ends Wed 20)= 14
//   第一学期 total                                         = 103
// Open school days (closures subtracted: Oct 1, 2, 5, 6, 7): October 18, semester 98.
import { createSchoolCalendar, type ActivityRecord } from '../../../src/modules/pairings/engine/index.js';

export const NATIONAL_DAY = { from: '2026-10-01', to: '2026-10-07', label: '国庆节' };

export const calendar = createSchoolCalendar({ closures: [NATIONAL_DAY], makeUpDays: ['2026-10-10'] });

/** Activity records of one type and role on the given dates. */
export function acts(type: string, role: string, ...dates: string[]): ActivityRecord[] {
  return dates.map((date) => ({ type, role, date }));
}
