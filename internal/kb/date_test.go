package kb

import (
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Date
		wantErr string // substring of the error; "" for success
	}{
		{name: "year", in: "2019", want: Date{Year: 2019}},
		{name: "month", in: "2019-06", want: Date{Year: 2019, Month: 6}},
		{name: "day", in: "2019-06-01", want: Date{Year: 2019, Month: 6, Day: 1}},
		{name: "leap day in a leap year", in: "2024-02-29", want: Date{Year: 2024, Month: 2, Day: 29}},
		{name: "leap day in a century leap year", in: "2000-02-29", want: Date{Year: 2000, Month: 2, Day: 29}},
		{name: "last day of december", in: "2019-12-31", want: Date{Year: 2019, Month: 12, Day: 31}},
		{name: "year 1", in: "0001", want: Date{Year: 1}},

		{name: "leap day in a common year", in: "2023-02-29", wantErr: `"2023-02-29" is not a calendar date: February has 28 days`},
		{name: "leap day in a century common year", in: "1900-02-29", wantErr: "February has 28 days"},
		{name: "april 31", in: "2019-04-31", wantErr: "April has 30 days"},
		{name: "day zero", in: "2019-06-00", wantErr: "June has 30 days"},
		{name: "month 13", in: "2019-13", wantErr: `"2019-13" has no month 13: months run 01 to 12`},
		{name: "month 13 with day", in: "2019-13-01", wantErr: "has no month 13"},
		{name: "month zero", in: "2019-00", wantErr: "has no month 0"},
		{name: "year zero", in: "0000", wantErr: "is not a date"},
		{name: "empty", in: "", wantErr: "is not a date"},
		{name: "two-digit year", in: "19", wantErr: "is not a date"},
		{name: "single-digit month", in: "2019-6", wantErr: `"2019-6" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2019-06?`},
		{name: "single-digit day", in: "2019-06-1", wantErr: "is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2019-06-01?"},
		{name: "single-digit month and day", in: "2019-6-1", wantErr: "did you mean 2019-06-01?"},
		{name: "slashes", in: "2019/06/01", wantErr: "is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2019-06-01?"},
		{name: "not a calendar date once padded", in: "2019-2-30", wantErr: `"2019-2-30" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD`},
		{name: "day or month first", in: "01-06-2019", wantErr: "is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; 01-06-2019 is ambiguous: it is 2019-06-01 if the day comes first (1 June 2019), 2019-01-06 if the month does (6 January 2019); check which the source means"},
		{name: "day first", in: "13/06/2019", wantErr: "is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2019-06-13 (13 June 2019)?"},
		{name: "month first", in: "06/13/2019", wantErr: "did you mean 2019-06-13 (13 June 2019)?"},
		{name: "dots put the day first", in: "12.06.2025", wantErr: `"12.06.2025" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2025-06-12 (12 June 2025)? A date written with dots gives the day first`},
		{name: "dots and a month that is no day", in: "05.13.2025", wantErr: "did you mean 2025-05-13 (13 May 2025)?"},
		{name: "day and month the same", in: "06.06.2019", wantErr: "did you mean 2019-06-06 (6 June 2019)?"},
		{name: "zeros", in: "0000-0", wantErr: `"0000-0" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD`},
		{name: "two-digit year last", in: "06/12/19", wantErr: `"06/12/19" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD`},
		{name: "time of day", in: "2019-06-01T10:00:00Z", wantErr: "is not a date"},
		{name: "signed year", in: "+201", wantErr: "is not a date"},
		{name: "signed month", in: "2019-+6", wantErr: "is not a date"},
		{name: "spaces", in: " 2019", wantErr: "is not a date"},
		{name: "words", in: "June", wantErr: "is not a date"},
		{name: "a month by its name", in: "March 2025", wantErr: `"March 2025" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2025-03?`},
		{name: "a month abbreviated", in: "Sept. 2024", wantErr: "; did you mean 2024-09?"},
		{name: "a day, its month by name", in: "20 November 2025", wantErr: "; did you mean 2025-11-20?"},
		{name: "the month first, then the day", in: "November 20, 2025", wantErr: "; did you mean 2025-11-20?"},
		{name: "an ordinal day", in: "March 4th, 2025", wantErr: "; did you mean 2025-03-04?"},
		{name: "a French date", in: "1er février 2021", wantErr: "; did you mean 2021-02-01?"},
		{name: "a German date", in: "4. März 2025", wantErr: "; did you mean 2025-03-04?"},
		{name: "non-ASCII digits", in: "２０１９", wantErr: "is not a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseDate(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDate(%q) = %#v, %v; want %#v", tt.in, got, err, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("String() = %q; want it to round-trip to %q", s, tt.in)
			}
		})
	}
}

// TestNamedMonthDate holds the dates written with their month's name that
// a message about a date offers to write YYYY-MM or YYYY-MM-DD, and
// what is left alone.
func TestNamedMonthDate(t *testing.T) {
	for in, want := range map[string]string{
		"March 2025":        "2025-03",
		"mars 2025":         "2025-03",
		"Mar. 2025":         "2025-03",
		"2025 March":        "2025-03",
		"20 November 2025":  "2025-11-20",
		"Nov 20 2025":       "2025-11-20",
		"22nd July, 2019":   "2019-07-22",
		"1er décembre 2020": "2020-12-01",
		"4. MÄRZ 2025":      "2025-03-04",
		"31 February 2025":  "", // no such day
		"Summer 2025":       "",
		"March":             "",
		"March 25":          "", // a day, or the year 2025?
		"March 2025 2026":   "",
		"0 March 2025":      "",
		"the 4th of March":  "",
		"March 4 5 2025":    "",
		"04.03.2025":        "", // the numeric advice reads it
	} {
		got := ""
		if d, ok := namedMonthDate(in); ok {
			got = d.String()
		}
		if got != want {
			t.Errorf("namedMonthDate(%q) = %q; want %q", in, got, want)
		}
	}
}

// A partial date compares as its first day.
func TestDateCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2019", "2019-01-01", 0},
		{"2019-06", "2019-06-01", 0},
		{"2019", "2019-01", 0},
		{"2019-06", "2019-06-02", -1},
		{"2019", "2018-12-31", 1},
		{"2019-12", "2019-11-30", 1},
		{"2019-06-01", "2019-06-01", 0},
		{"0001", "9999-12-31", -1},
	}
	for _, tt := range tests {
		a, b := MustDate(tt.a), MustDate(tt.b)
		if got := a.Compare(b); got != tt.want {
			t.Errorf("%s.Compare(%s) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
		if got := b.Compare(a); got != -tt.want {
			t.Errorf("%s.Compare(%s) = %d; want %d", tt.b, tt.a, got, -tt.want)
		}
		if a.Before(b) != (tt.want < 0) || a.After(b) != (tt.want > 0) {
			t.Errorf("%s Before/After %s disagree with Compare %d", tt.a, tt.b, tt.want)
		}
	}
}

func TestDateAddMonths(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"2024-03-15", -24, "2022-03-15"},
		{"2024-02-29", -24, "2022-02-28"}, // no 29 February in 2022: the month's last day
		{"2024-03-31", -1, "2024-02-29"},
		{"2024-01-15", -1, "2023-12-15"},
		{"2024-01", -13, "2022-12"},
		{"2024", -24, "2022"},
		{"2019-11-30", 3, "2020-02-29"},
	}
	for _, tt := range tests {
		if got := MustDate(tt.in).AddMonths(tt.n).String(); got != tt.want {
			t.Errorf("%s.AddMonths(%d) = %s; want %s", tt.in, tt.n, got, tt.want)
		}
	}
	if got := (Date{}).AddMonths(-24); !got.IsZero() {
		t.Errorf("zero date AddMonths = %v; want zero", got)
	}
}

func TestDateText(t *testing.T) {
	for _, tt := range []struct{ in, human string }{
		{"2019", "2019"}, {"2019-06", "June 2019"}, {"2019-06-01", "1 June 2019"},
	} {
		d := MustDate(tt.in)
		if got := d.Human(); got != tt.human {
			t.Errorf("%s.Human() = %q; want %q", tt.in, got, tt.human)
		}
		b, _ := d.MarshalText()
		var back Date
		if err := back.UnmarshalText(b); err != nil || back != d {
			t.Errorf("text round trip of %s = %v, %v", tt.in, back, err)
		}
	}
	var d Date
	if err := d.UnmarshalText([]byte("2023-02-29")); err == nil {
		t.Error("UnmarshalText accepted 2023-02-29")
	}
	if got := DateOf(time.Date(2019, 6, 1, 23, 30, 0, 0, time.FixedZone("X", -2*3600))); got.String() != "2019-06-02" {
		t.Errorf("DateOf = %s; want the UTC day 2019-06-02", got)
	}
}

func FuzzParseDate(f *testing.F) {
	// 0000-0 once sent the advice on a date not written YYYY-MM-DD back
	// into ParseDate without end.
	for _, s := range []string{"2019", "2019-06", "2019-06-01", "2024-02-29", "2023-02-29", "2019-13", "0000", "9999-12-31", "", "2019-06-01T00:00",
		"0000-0", "2019-6-1", "06/12/2019", "00/00/0000", "March 2025", "1er mars 2025", "4. März 2025", "Nov 31, 2024"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			// A date the advice offers is one ParseDate takes.
			if _, after, ok := strings.Cut(err.Error(), "did you mean "); ok {
				offered, _, _ := strings.Cut(after, "?")
				offered, _, _ = strings.Cut(offered, " ")
				if _, err := ParseDate(offered); err != nil {
					t.Fatalf("ParseDate(%q) offers %q, which is no date: %v", s, offered, err)
				}
			}
			return
		}
		// What parses is a real day, and prints back as it was written.
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		if d.Month != 0 && d.Day != 0 {
			tm := d.Time()
			if tm.Year() != d.Year || int(tm.Month()) != d.Month || tm.Day() != d.Day {
				t.Fatalf("ParseDate(%q) = %v, which is not a calendar day (%v)", s, d, tm)
			}
		}
	})
}

// TestDateFormatsAsFmt checks String and Human against the fmt formats
// they replaced, for every month and day and years of each width.
func TestDateFormatsAsFmt(t *testing.T) {
	for _, y := range []int{0, 1, 9, 10, 99, 100, 999, 1000, 1999, 2026, 9999, 10000, 123456, -1, -2026} {
		for m := -1; m <= 13; m++ {
			for _, dd := range []int{-1, 0, 1, 9, 10, 28, 31, 99, 100} {
				d := Date{Year: y, Month: m, Day: dd}
				if d.IsZero() {
					continue
				}
				if got, want := d.String(), d.sprintf(); got != want {
					t.Errorf("%#v.String() = %q, fmt says %q", d, got, want)
				}
				if got, want := d.Human(), d.humanSprintf(); got != want {
					t.Errorf("%#v.Human() = %q, fmt says %q", d, got, want)
				}
			}
		}
	}
}
