package site

import "github.com/dronekb/dronekb/internal/kb"

// SchemaPath returns where the JSON Schema of entries of type t is
// published, relative to the site root: "schema/agency.json". Templates
// that `dronekb new` writes name it, so editors can check front matter.
func SchemaPath(t kb.Type) string { return "schema/" + kb.SchemaFile(t) }

// schemaJobs write the JSON Schema of each entry type, with its $id at the
// site's address when that is known.
func (s *Site) schemaJobs() []job {
	var jobs []job
	for _, t := range kb.Types() {
		jobs = append(jobs, func(w *writer) error {
			id := ""
			if s.absBase != "" {
				id = s.AbsURL(SchemaPath(t))
			}
			data, err := kb.JSONSchema(t, id)
			if err != nil {
				return err
			}
			return w.write(SchemaPath(t), data)
		})
	}
	return jobs
}
