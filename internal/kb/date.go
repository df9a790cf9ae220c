package kb

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date at the precision a source gives it: a year
// ("2019"), a month ("2019-06") or a day ("2019-06-01"). A partial date
// compares as its first day. The zero Date means "not given".
type Date struct {
	Year  int // 1..9999
	Month int // 0 when only the year is known
	Day   int // 0 when only the year or month is known
}

// ParseDate parses YYYY, YYYY-MM or YYYY-MM-DD, rejecting days that do not
// exist in the calendar (2023-02-29) and any other shape.
func ParseDate(s string) (Date, error) { return parseDate(s, false) }

// parseDate is ParseDate for a date that must give its day when day is
// set: what is no date is then told to be written YYYY-MM-DD, with advice
// of a day only. A year or a month still parses; the caller says it is
// not enough.
func parseDate(s string, day bool) (Date, error) {
	var d Date
	bad := func() (Date, error) {
		shape := "YYYY, YYYY-MM or YYYY-MM-DD"
		if day {
			shape = "YYYY-MM-DD"
		}
		return Date{}, fmt.Errorf("%q is not a date: write %s%s", s, shape, dateAdvice(s, day))
	}
	num := func(part string) (int, bool) {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, false
			}
		}
		n, err := strconv.Atoi(part)
		return n, err == nil
	}
	var ok bool
	switch len(s) {
	case 4, 7, 10:
	default:
		return bad()
	}
	if d.Year, ok = num(s[:4]); !ok || d.Year == 0 {
		return bad()
	}
	if len(s) >= 7 {
		if s[4] != '-' {
			return bad()
		}
		if d.Month, ok = num(s[5:7]); !ok {
			return bad()
		}
		if d.Month < 1 || d.Month > 12 {
			return Date{}, fmt.Errorf("%q has no month %d: months run 01 to 12", s, d.Month)
		}
	}
	if len(s) == 10 {
		if s[7] != '-' {
			return bad()
		}
		if d.Day, ok = num(s[8:10]); !ok {
			return bad()
		}
		if d.Day < 1 || d.Day > daysIn(d.Year, d.Month) {
			return Date{}, fmt.Errorf("%q is not a calendar date: %s has %d days", s,
				time.Month(d.Month), daysIn(d.Year, d.Month))
		}
	}
	return d, nil
}

// dateAdvice says which date s, not written YYYY, YYYY-MM or YYYY-MM-DD,
// most likely is, as a message's end: the same date with its month and day
// in two digits and dashes ("2026-12-5", "2026/12/05" are 2026-12-05),
// or, for a date with the year last, each reading of it when both are
// dates: 06/12/2026 is 6 December in most of the world and June 12 in the
// United States, though 06.12.2026, with dots, is only the first. It
// returns "" when s reads as no date, or as a month when day is set.
func dateAdvice(s string, day bool) string {
	if date, ok := namedMonthDate(s); ok {
		if day && date.Day == 0 {
			return ""
		}
		return fmt.Sprintf("; did you mean %s?", date)
	}
	if len(s) > 10 && (s[10] == ' ' || s[10] == 'T') && strings.Contains(s[10:], ":") {
		// 2026-03-14 10:00: a time of day, which YAML reads as text
		// unless it is a whole timestamp.
		if date, err := ParseDate(s[:10]); err == nil {
			return fmt.Sprintf("; it gives a time of day: write just the date, %s", date)
		}
	}
	if len(s) == 8 && strings.Trim(s, "0123456789") == "" {
		// 20260314, as file names and some databases write a date.
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[4:6])
		d, _ := strconv.Atoi(s[6:])
		if y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) {
			return fmt.Sprintf("; did you mean %s?", Date{Year: y, Month: m, Day: d})
		}
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(s) > 10 || len(parts) < 2 || len(parts) > 3 {
		return ""
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if len(p) > 4 || strings.Trim(p, "0123456789") != "" {
			return ""
		}
		nums[i], _ = strconv.Atoi(p)
	}
	// valid checks the date itself: ParseDate would come back here.
	valid := func(y, m, d int) (Date, bool) {
		date := Date{Year: y, Month: m, Day: d}
		return date, y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && (d == 0 && len(parts) == 2 || d >= 1 && d <= daysIn(y, m))
	}
	switch {
	case len(parts[0]) == 4 && len(parts) == 2 && len(parts[1]) <= 2 && !day:
		if date, ok := valid(nums[0], nums[1], 0); ok {
			return fmt.Sprintf("; did you mean %s?", date)
		}
	case len(parts[0]) == 4 && len(parts) == 3 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		if date, ok := valid(nums[0], nums[1], nums[2]); ok {
			return fmt.Sprintf("; did you mean %s?", date)
		}
	case len(parts) == 3 && len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2:
		dayFirst, okD := valid(nums[2], nums[1], nums[0])
		monthFirst, okM := valid(nums[2], nums[0], nums[1])
		// Dots between the parts put the day first wherever they are
		// written (Germany, Russia, much of Europe); the month-first
		// United States writes slashes.
		dotted := strings.Count(s, ".") == 2
		switch {
		case okD && okM && dayFirst != monthFirst && dotted:
			return fmt.Sprintf("; did you mean %s (%s)? A date written with dots gives the day first",
				dayFirst, dayFirst.Human())
		case okD && okM && dayFirst != monthFirst:
			return fmt.Sprintf("; %s is ambiguous: it is %s if the day comes first (%s), %s if the month does (%s); check which the source means",
				s, dayFirst, dayFirst.Human(), monthFirst, monthFirst.Human())
		case okD:
			return fmt.Sprintf("; did you mean %s (%s)?", dayFirst, dayFirst.Human())
		case okM:
			return fmt.Sprintf("; did you mean %s (%s)?", monthFirst, monthFirst.Human())
		}
	}
	return ""
}

// MustDate is ParseDate for literals known to be valid; it panics otherwise.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the day of t, in UTC.
func DateOf(t time.Time) Date {
	t = t.UTC()
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IsZero reports whether the date was not given.
func (d Date) IsZero() bool { return d.Year == 0 }

// first returns the first day the date covers, as a sortable number.
func (d Date) first() int {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return d.Year*10000 + m*100 + day
}

// last returns the last day the date covers, as first does: 2019-06 is
// 2019-06-30, 2019 is 2019-12-31.
func (d Date) last() int {
	switch {
	case d.Month == 0:
		return d.Year*10000 + 1231
	case d.Day == 0:
		return d.Year*10000 + d.Month*100 + daysIn(d.Year, d.Month)
	}
	return d.first()
}

// LastDay returns the last day the date covers, as a full date: 2019-06
// is 2019-06-30, 2019 is 2019-12-31, and a full date is itself.
func (d Date) LastDay() Date {
	switch {
	case d.IsZero() || d.Day != 0:
		return d
	case d.Month == 0:
		return Date{Year: d.Year, Month: 12, Day: 31}
	}
	return Date{Year: d.Year, Month: d.Month, Day: daysIn(d.Year, d.Month)}
}

// FirstDay returns the first day the date covers, as a full date: 2019-06
// is 2019-06-01, 2019 is 2019-01-01.
func (d Date) FirstDay() Date {
	if d.IsZero() {
		return d
	}
	return Date{Year: d.Year, Month: max(d.Month, 1), Day: max(d.Day, 1)}
}

// Compare orders dates by their first day: -1 if d is before e, +1 if after,
// 0 if they start on the same day. "2019-06" and "2019-06-01" compare equal.
func (d Date) Compare(e Date) int {
	a, b := d.first(), e.first()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d starts before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d starts after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Time returns the first day of d at midnight UTC.
func (d Date) Time() time.Time {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// AddMonths returns the date n months later, at the same precision.
func (d Date) AddMonths(n int) Date {
	if d.IsZero() {
		return d
	}
	m := d.Month
	if m == 0 {
		m = 1
	}
	total := d.Year*12 + (m - 1) + n
	out := Date{Year: total / 12, Month: total%12 + 1, Day: d.Day}
	if d.Month == 0 {
		out.Month = 0
	}
	if out.Day > daysIn(out.Year, out.Month) {
		out.Day = daysIn(out.Year, out.Month)
	}
	return out
}

// String formats the date at its precision: "2019", "2019-06" or "2019-06-01".
// Sites and downloads format hundreds of thousands of dates, so it
// appends digits rather than going through fmt.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 12 || d.Day < 0 || d.Day > 99 {
		return d.sprintf()
	}
	b := make([]byte, 0, 10)
	b = append(b, byte('0'+d.Year/1000), byte('0'+d.Year/100%10), byte('0'+d.Year/10%10), byte('0'+d.Year%10))
	if d.Month != 0 {
		b = append(b, '-', byte('0'+d.Month/10), byte('0'+d.Month%10))
		if d.Day != 0 {
			b = append(b, '-', byte('0'+d.Day/10), byte('0'+d.Day%10))
		}
	}
	return string(b)
}

func (d Date) sprintf() string {
	switch {
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Human formats the date for a reader: "2019", "June 2019", "1 June 2019".
func (d Date) Human() string {
	switch {
	case d.IsZero():
		return ""
	case d.Month < 0 || d.Month > 12:
		return d.humanSprintf()
	case d.Month == 0:
		return strconv.Itoa(d.Year)
	case d.Day == 0:
		return time.Month(d.Month).String() + " " + strconv.Itoa(d.Year)
	}
	return strconv.Itoa(d.Day) + " " + time.Month(d.Month).String() + " " + strconv.Itoa(d.Year)
}

func (d Date) humanSprintf() string {
	switch {
	case d.Month == 0:
		return fmt.Sprintf("%d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%s %d", time.Month(d.Month), d.Year)
	}
	return fmt.Sprintf("%d %s %d", d.Day, time.Month(d.Month), d.Year)
}

// MarshalText writes the date as String does; the zero date as "".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses a date written by MarshalText.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// namedMonthDate reads a date written with the name of its month, as
// sources and contributors write them: "March 2025", "Mar. 2025", "20
// November 2025", "November 20, 2025", "1er mars 2025", "4. März 2025".
// Months are named in English, French or German, or by the first three
// letters or more of an English name ("Sept"). It reports false for
// anything else, or a day the month does not have.
func namedMonthDate(s string) (Date, bool) {
	if len(s) > 40 {
		return Date{}, false
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '.' || r == '\t' })
	if len(words) < 2 || len(words) > 3 {
		return Date{}, false
	}
	var d Date
	for _, w := range words {
		switch {
		case len(w) == 4 && strings.Trim(w, "0123456789") == "" && d.Year == 0:
			d.Year, _ = strconv.Atoi(w)
		case d.Month == 0 && monthNamed(w) > 0:
			d.Month = monthNamed(w)
		default:
			n, ok := dayWord(w)
			if !ok || d.Day != 0 || n == 0 {
				return Date{}, false
			}
			d.Day = n
		}
	}
	if d.Year < 1000 || d.Month == 0 || d.Day > daysIn(d.Year, d.Month) {
		return Date{}, false
	}
	return d, true
}

// dayWord reads w as a day of a month as dates write it: 1 or 2 digits,
// maybe with an ordinal's ending ("1st", "22nd", "1er").
func dayWord(w string) (int, bool) {
	i := 0
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	if i < 1 || i > 2 {
		return 0, false
	}
	switch strings.ToLower(w[i:]) {
	case "", "st", "nd", "rd", "th", "er":
		n, _ := strconv.Atoi(w[:i])
		return n, true
	}
	return 0, false
}

// monthNamed returns the month w names, 1 to 12, or 0.
func monthNamed(w string) int {
	w = strings.ToLower(w)
	if m, ok := monthNames[w]; ok {
		return m
	}
	if len(w) >= 3 {
		for i := time.January; i <= time.December; i++ {
			if strings.HasPrefix(strings.ToLower(i.String()), w) {
				return int(i)
			}
		}
	}
	return 0
}

// monthNames are the French and German names of the months, with and
// without their accents; English ones monthNamed finds by their prefix.
var monthNames = map[string]int{
	"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
	"juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
	"januar": 1, "februar": 2, "märz": 3, "maerz": 3, "marz": 3, "juni": 6, "juli": 7,
	"oktober": 10, "dezember": 12,
}
