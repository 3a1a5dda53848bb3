package sitegen

import (
	"fmt"
	"strings"
)

// Mix is what the documents' bodies are made of.
type Mix int

const (
	// Classic is the mix sitegen has always made: prose, lists, tables
	// and, in a third of the documents, one small YAML block. It stays the
	// default, so that figures measured on it before still compare.
	Classic Mix = iota
	// Code is engineering-heavy product documentation: most documents
	// carry one to three fenced code blocks in Go, YAML, JSON, shell,
	// TypeScript, Python or SQL, each made from the seed (its own
	// identifiers, length and structure, so that no two repeat), besides
	// tables, nested lists and, now and then, prose in another language.
	Code
)

var mixNames = []string{Classic: "classic", Code: "code"}

func (m Mix) String() string {
	if int(m) < len(mixNames) {
		return mixNames[m]
	}
	return fmt.Sprintf("Mix(%d)", int(m))
}

// ParseMix reads a mix by its name: "classic" or "code".
func ParseMix(s string) (Mix, error) {
	for i, n := range mixNames {
		if n == s {
			return Mix(i), nil
		}
	}
	return Classic, fmt.Errorf("unknown mix %q (want %s)", s, strings.Join(mixNames, " or "))
}

// codeBody writes the code-heavy part of a body of the Code mix.
func (g *gen) codeBody(b *strings.Builder) {
	if g.r.IntN(100) < 85 {
		for range 1 + g.r.IntN(3) {
			lang := codeLangs[g.r.IntN(len(codeLangs))]
			fmt.Fprintf(b, "%s\n\n```%s\n%s```\n\n", g.sentence(6, 14)+":", pick(g.r, lang.names...), lang.gen(g))
		}
	}
	if g.r.IntN(3) == 0 {
		// A nested, ordered list: steps with sub-points.
		for i := range 2 + g.r.IntN(3) {
			fmt.Fprintf(b, "%d. %s\n", i+1, g.sentence(4, 9))
			for range g.r.IntN(3) {
				fmt.Fprintf(b, "   - %s\n", g.sentence(3, 7))
			}
		}
		b.WriteString("\n")
	}
	if g.r.IntN(4) == 0 {
		p := prose[g.r.IntN(len(prose))]
		n := 2 + g.r.IntN(3)
		s := make([]string, n)
		for i := range s {
			s[i] = p[g.r.IntN(len(p))]
		}
		b.WriteString(strings.Join(s, " "))
		b.WriteString("\n\n")
	}
}

// prose is sentences in other languages and scripts, as translated or
// international teams write them.
var prose = [][]string{
	{"Der Bestellvorgang muss auch ohne Konto funktionieren.", "Die Zahlung wird erst nach der Bestätigung ausgelöst.", "Kunden sehen den Lieferstatus in Echtzeit.", "Rückgaben sind innerhalb von dreißig Tagen möglich."},
	{"Le paiement est validé avant l’expédition.", "Les clients reçoivent un reçu par courriel.", "La recherche tolère les fautes de frappe.", "Les remboursements sont traités sous cinq jours."},
	{"注文はアカウントなしでも完了できる必要があります。", "支払いは確認後にのみ実行されます。", "配送状況はリアルタイムで表示されます。", "返品は三十日以内に受け付けます。"},
	{"Оформление заказа должно работать без учётной записи.", "Оплата списывается только после подтверждения.", "Клиент видит статус доставки в реальном времени.", "Возврат возможен в течение тридцати дней."},
	{"El pago se confirma antes del envío.", "La búsqueda tolera errores de escritura.", "Los clientes reciben el recibo por correo.", "Las devoluciones se aceptan durante treinta días."},
	{"يجب أن يعمل الدفع بدون حساب.", "يرى العميل حالة التوصيل مباشرة.", "تتم معالجة المبالغ المستردة خلال خمسة أيام."},
}

type codeLang struct {
	names []string // the fence's info strings, as people write them
	gen   func(g *gen) string
}

var codeLangs = []codeLang{
	{[]string{"go", "go", "golang"}, (*gen).goCode},
	{[]string{"yaml", "yaml", "yml"}, (*gen).yamlCode},
	{[]string{"json"}, (*gen).jsonCode},
	{[]string{"sh", "bash", "shell"}, (*gen).shellCode},
	{[]string{"typescript", "ts"}, (*gen).tsCode},
	{[]string{"python", "py"}, (*gen).pythonCode},
	{[]string{"sql"}, (*gen).sqlCode},
}

func (g *gen) word() string { return words[g.r.IntN(len(words))] }

// ident makes an identifier of one to three words: snake_case, camelCase
// or PascalCase.
func (g *gen) ident(style byte) string {
	n := 1 + g.r.IntN(3)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = g.word()
		if style == 'P' || (style == 'c' && i > 0) {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	if style == 's' {
		return strings.Join(parts, "_")
	}
	return strings.Join(parts, "")
}

func (g *gen) str() string {
	return g.word() + pick(g.r, "", "-"+g.word(), " "+g.word(), fmt.Sprint(g.r.IntN(100)))
}

func (g *gen) goCode() string {
	var b strings.Builder
	if g.r.IntN(2) == 0 {
		fmt.Fprintf(&b, "package %s\n\n", g.word())
		imps := []string{"context", "errors", "fmt", "net/http", "strings", "time"}
		b.WriteString("import (\n")
		for _, i := range imps[g.r.IntN(3) : 3+g.r.IntN(3)] {
			fmt.Fprintf(&b, "\t%q\n", i)
		}
		b.WriteString(")\n\n")
	}
	typ := g.ident('P')
	if g.r.IntN(2) == 0 {
		fmt.Fprintf(&b, "// %s is %s.\ntype %s struct {\n", typ, strings.ToLower(g.sentence(4, 8)), typ)
		for range 2 + g.r.IntN(4) {
			fmt.Fprintf(&b, "\t%s %s `json:\"%s\"`\n", g.ident('P'), pick(g.r, "string", "int", "int64", "bool", "[]string", "time.Duration", "*"+g.ident('P'), "map[string]int"), g.ident('s'))
		}
		b.WriteString("}\n\n")
	}
	for range 1 + g.r.IntN(2) {
		fn, arg := g.ident('c'), g.ident('c')
		fmt.Fprintf(&b, "func (x *%s) %s(ctx context.Context, %s string) (int, error) {\n", typ, strings.ToUpper(fn[:1])+fn[1:], arg)
		for range 1 + g.r.IntN(4) {
			v := g.ident('c')
			switch g.r.IntN(5) {
			case 0:
				fmt.Fprintf(&b, "\tif %s == \"\" {\n\t\treturn 0, errors.New(%q)\n\t}\n", arg, g.sentence(3, 6))
			case 1:
				fmt.Fprintf(&b, "\tfor i := 0; i < %d; i++ {\n\t\t%s += strings.Repeat(%q, i)\n\t}\n", g.r.IntN(64), arg, g.str())
			case 2:
				fmt.Fprintf(&b, "\t%s, err := x.%s(ctx, %s)\n\tif err != nil {\n\t\treturn 0, fmt.Errorf(\"%s: %%w\", err)\n\t}\n\t_ = %s\n", v, g.ident('P'), arg, g.word(), v)
			case 3:
				fmt.Fprintf(&b, "\t%s := map[string]int{%q: %d, %q: %d}\n\tdelete(%s, %q)\n", v, g.word(), g.r.IntN(999), g.word(), g.r.IntN(999), v, g.word())
			default:
				fmt.Fprintf(&b, "\t// %s\n\t%s := time.Duration(%d) * time.Millisecond\n\t_ = %s\n", g.sentence(4, 9), v, g.r.IntN(5000), v)
			}
		}
		fmt.Fprintf(&b, "\treturn len(%s) + %d, nil\n}\n", arg, g.r.IntN(10))
	}
	return b.String()
}

func (g *gen) yamlCode() string {
	var b strings.Builder
	var mapping func(indent string, depth int)
	mapping = func(indent string, depth int) {
		for range 2 + g.r.IntN(4) {
			k := g.ident('s')
			switch n := g.r.IntN(6); {
			case n == 0 && depth < 3:
				fmt.Fprintf(&b, "%s%s:\n", indent, k)
				mapping(indent+"  ", depth+1)
			case n == 1:
				fmt.Fprintf(&b, "%s%s:\n", indent, k)
				for range 1 + g.r.IntN(3) {
					fmt.Fprintf(&b, "%s  - %s\n", indent, g.str())
				}
			case n == 2:
				fmt.Fprintf(&b, "%s%s: %d # %s\n", indent, k, g.r.IntN(10000), g.sentence(3, 6))
			case n == 3:
				fmt.Fprintf(&b, "%s%s: %v\n", indent, k, g.r.IntN(2) == 0)
			default:
				fmt.Fprintf(&b, "%s%s: %q\n", indent, k, g.str())
			}
		}
	}
	mapping("", 0)
	return b.String()
}

func (g *gen) jsonCode() string {
	var b strings.Builder
	var value func(indent string, depth int)
	value = func(indent string, depth int) {
		switch n := g.r.IntN(7); {
		case n == 0 && depth < 3:
			b.WriteString("[")
			for i := range 1 + g.r.IntN(3) {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "%q", g.str())
			}
			b.WriteString("]")
		case n <= 2 && depth < 3:
			b.WriteString("{\n")
			m := 1 + g.r.IntN(4)
			for i := range m {
				fmt.Fprintf(&b, "%s  %q: ", indent, g.ident('c'))
				value(indent+"  ", depth+1)
				if i < m-1 {
					b.WriteString(",")
				}
				b.WriteString("\n")
			}
			b.WriteString(indent + "}")
		case n == 3:
			fmt.Fprintf(&b, "%d.%02d", g.r.IntN(1000), g.r.IntN(100))
		case n == 4:
			b.WriteString(pick(g.r, "true", "false", "null"))
		default:
			fmt.Fprintf(&b, "%q", g.str())
		}
	}
	b.WriteString("{\n")
	m := 2 + g.r.IntN(4)
	for i := range m {
		fmt.Fprintf(&b, "  %q: ", g.ident('c'))
		value("  ", 1)
		if i < m-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func (g *gen) shellCode() string {
	var b strings.Builder
	if g.r.IntN(3) == 0 {
		b.WriteString("#!/usr/bin/env bash\nset -euo pipefail\n\n")
	}
	for range 2 + g.r.IntN(5) {
		v := strings.ToUpper(g.ident('s'))
		switch g.r.IntN(6) {
		case 0:
			fmt.Fprintf(&b, "export %s=%q\n", v, g.str())
		case 1:
			fmt.Fprintf(&b, "curl -fsSL -H \"Authorization: Bearer $%s\" https://api.example.com/v%d/%s/%s | jq '.%s'\n", v, 1+g.r.IntN(3), g.word(), g.word(), g.ident('s'))
		case 2:
			fmt.Fprintf(&b, "for f in %s/*.%s; do\n  echo \"checking $f\" >&2\n  %s --%s \"$f\" || exit %d\ndone\n", g.word(), pick(g.r, "md", "json", "yaml", "csv"), g.word(), g.word(), 1+g.r.IntN(3))
		case 3:
			fmt.Fprintf(&b, "if [ -z \"${%s:-}\" ]; then\n  %s=$(date +%%s)\nfi\n", v, v)
		case 4:
			fmt.Fprintf(&b, "# %s\n", g.sentence(4, 9))
		default:
			fmt.Fprintf(&b, "kubectl -n %s rollout status deploy/%s --timeout=%ds\n", g.word(), g.word()+"-"+g.word(), 30*(1+g.r.IntN(10)))
		}
	}
	return b.String()
}

func (g *gen) tsCode() string {
	var b strings.Builder
	typ := g.ident('P')
	fmt.Fprintf(&b, "export interface %s {\n", typ)
	for range 2 + g.r.IntN(4) {
		fmt.Fprintf(&b, "  %s%s: %s;\n", g.ident('c'), pick(g.r, "", "?"), pick(g.r, "string", "number", "boolean", "string[]", "Date", g.ident('P')+" | null"))
	}
	b.WriteString("}\n\n")
	fn, arg := g.ident('c'), g.ident('c')
	fmt.Fprintf(&b, "export %sfunction %s(%s: %s): %s {\n", pick(g.r, "", "async "), fn, arg, typ, pick(g.r, "number", "Promise<void>", "string"))
	for range 1 + g.r.IntN(4) {
		v := g.ident('c')
		switch g.r.IntN(4) {
		case 0:
			fmt.Fprintf(&b, "  const %s = %s.%s ?? %d;\n", v, arg, g.ident('c'), g.r.IntN(100))
		case 1:
			fmt.Fprintf(&b, "  if (!%s) {\n    throw new Error(`%s: ${%s}`);\n  }\n", arg, g.sentence(2, 5), arg)
		case 2:
			fmt.Fprintf(&b, "  const %s = [%d, %d, %d].map((n) => n * %d).filter(Boolean);\n", v, g.r.IntN(9), g.r.IntN(99), g.r.IntN(999), 1+g.r.IntN(9))
		default:
			fmt.Fprintf(&b, "  // %s\n  console.log(%q, %s);\n", g.sentence(3, 8), g.str(), arg)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

func (g *gen) pythonCode() string {
	var b strings.Builder
	if g.r.IntN(2) == 0 {
		fmt.Fprintf(&b, "from %s import %s\n\n", pick(g.r, "dataclasses", "typing", "pathlib", "collections"), pick(g.r, "dataclass", "Optional", "Path", "defaultdict"))
	}
	cls := g.ident('P')
	fmt.Fprintf(&b, "class %s:\n    \"\"\"%s.\"\"\"\n\n", cls, g.sentence(4, 9))
	for range 1 + g.r.IntN(3) {
		fn, arg := g.ident('s'), g.ident('s')
		if g.r.IntN(3) == 0 {
			b.WriteString("    @property\n")
		}
		fmt.Fprintf(&b, "    def %s(self, %s=%d):\n", fn, arg, g.r.IntN(100))
		for range 1 + g.r.IntN(3) {
			v := g.ident('s')
			switch g.r.IntN(4) {
			case 0:
				fmt.Fprintf(&b, "        %s = [x * %d for x in range(%s) if x %% %d]\n", v, 1+g.r.IntN(9), arg, 2+g.r.IntN(5))
			case 1:
				fmt.Fprintf(&b, "        if not %s:\n            raise ValueError(f\"%s: {%s!r}\")\n", arg, g.sentence(2, 5), arg)
			case 2:
				fmt.Fprintf(&b, "        # %s\n        self.%s = {%q: %s, %q: None}\n", g.sentence(3, 7), v, g.word(), arg, g.word())
			default:
				fmt.Fprintf(&b, "        %s = %s * %d.%d\n", v, arg, g.r.IntN(10), g.r.IntN(100))
			}
		}
		fmt.Fprintf(&b, "        return %s\n\n", arg)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (g *gen) sqlCode() string {
	var b strings.Builder
	table := g.ident('s')
	cols := make([]string, 2+g.r.IntN(4))
	for i := range cols {
		cols[i] = g.ident('s')
	}
	if g.r.IntN(2) == 0 {
		fmt.Fprintf(&b, "CREATE TABLE %s (\n  id BIGSERIAL PRIMARY KEY,\n", table)
		for _, c := range cols {
			fmt.Fprintf(&b, "  %s %s,\n", c, pick(g.r, "TEXT NOT NULL", "INTEGER DEFAULT 0", "TIMESTAMPTZ", "NUMERIC(10, 2)", "BOOLEAN"))
		}
		b.WriteString("  created_at TIMESTAMPTZ NOT NULL DEFAULT now()\n);\n\n")
	}
	other := g.ident('s')
	fmt.Fprintf(&b, "SELECT t.%s, count(*) AS n, sum(o.%s) AS total\nFROM %s t\n", strings.Join(cols[:1+g.r.IntN(len(cols))], ", t."), g.ident('s'), table)
	fmt.Fprintf(&b, "%s JOIN %s o ON o.%s_id = t.id\n", pick(g.r, "LEFT", "INNER"), other, table)
	fmt.Fprintf(&b, "WHERE t.%s > %d AND o.%s <> '%s' -- %s\n", cols[0], g.r.IntN(1000), g.ident('s'), g.word(), g.sentence(3, 6))
	fmt.Fprintf(&b, "GROUP BY t.%s\nORDER BY total DESC\nLIMIT %d;\n", cols[0], 10*(1+g.r.IntN(10)))
	return b.String()
}
