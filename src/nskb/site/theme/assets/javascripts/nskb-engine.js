/* kb-match's engine (src/nskb/diagnose/) in JavaScript, over the same compiled index.
 *
 * A line-for-line port, module by module: normalize (clean text into lines), decoration (the
 * variants of a line without timestamps and CI prefixes), extract (audit records, failed
 * syscalls, errno in any language, context facts), scan (which line holds what), conditions and
 * model (log-odds over the causes and an explicit "other"), and the report's choice of causes and
 * fixes (report/common.py, report/fixes.py). The browser test runs every case of tests/cases/
 * through this file and through `kb-match --format json` and requires the same verdict and top
 * three causes: change the two together.
 *
 * Patterns are RE2 in the index; the few RE2-only spellings they use are translated (`(?i)` at
 * the start becomes the i flag, `(?P<name>` becomes `(?<name>`). RE2 never backtracks; these
 * patterns have no nested quantifiers, so the browser's engine stays linear on them too. */
(function (root) {
  "use strict"

  // ---- regular expressions --------------------------------------------------------------------
  const compiled = new Map()

  const swap = c => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())
  const isLetter = c => /^[A-Za-z]$/.test(c)

  /** `(?i)` in the middle of an RE2 pattern makes the rest of its group case-insensitive, and
   * `(?i:...)` the group it opens; the browser has no such flag, so every ASCII letter there is
   * spelled in both cases ([aA]; classes get the other case added). Escapes (\b, \w, \p{...}) stay as they are. */
  function inlineCaseless(source) {
    let out = "", depth = 0, caseless = [], inClass = false, classText = ""
    for (let i = 0; i < source.length; i++) {
      const c = source[i]
      if (c === "\\") {
        let escape = c + (source[i + 1] || "")
        if (/[pPu]/.test(source[i + 1] || "") && source[i + 2] === "{") {
          const end = source.indexOf("}", i)
          escape = source.slice(i, end + 1)
        }
        i += escape.length - 1
        if (inClass) classText += escape
        else out += escape
        continue
      }
      if (inClass) {
        if (c === "]" && classText.length > 1) {
          let extra = ""
          if (caseless[depth]) {
            const body = classText.slice(1).replace(/^\^/, "")
            for (let k = 0; k < body.length; k++) {
              if (body[k] === "\\") { k++; continue }
              if (isLetter(body[k]) && body[k + 1] === "-" && isLetter(body[k + 2] || "")) {
                extra += swap(body[k]) + "-" + swap(body[k + 2]); k += 2
              } else if (isLetter(body[k])) extra += swap(body[k])
            }
          }
          out += classText + extra + "]"
          inClass = false
        } else classText += c
        continue
      }
      if (c === "[") { inClass = true; classText = "["; continue }
      if (source.startsWith("(?i)", i)) { caseless[depth] = true; i += 3; continue }
      if (source.startsWith("(?i:", i)) { depth++; caseless[depth] = true; out += "(?:"; i += 3; continue }
      if (c === "(") {
        const opener = /^\(\?(?:<[A-Za-z_]\w*>|<[=!]|[:=!])/.exec(source.slice(i, i + 40))
        depth++; caseless[depth] = caseless[depth - 1]
        out += opener ? opener[0] : c
        i += opener ? opener[0].length - 1 : 0
        continue
      }
      if (c === ")") { caseless[depth] = false; depth = Math.max(0, depth - 1); out += c; continue }
      out += caseless[depth] && isLetter(c) ? `[${c}${swap(c)}]` : c
    }
    return out
  }

  /** RE2 pattern -> RegExp (cached); null when the browser cannot read it. */
  function re(pattern, { ci = false, global = false } = {}) {
    const key = `${ci ? "i" : ""}${global ? "g" : ""}\u0000${pattern}`
    if (compiled.has(key)) return compiled.get(key)
    let source = String(pattern)
    let flags = (ci ? "i" : "") + (global ? "g" : "")
    const lead = /^\(\?([imsU]+)\)/.exec(source)
    if (lead) {
      source = source.slice(lead[0].length)
      for (const f of lead[1]) if ("is".includes(f) && !flags.includes(f)) flags += f
    }
    source = source.replace(/\(\?P</g, "(?<").replace(/\\z/g, "$").replace(/\\A/g, "^")
    if (/\(\?i[):]/.test(source)) {
      source = flags.includes("i") ? source.split("(?i)").join("").split("(?i:").join("(?:") : inlineCaseless(source)
    }
    let out = null
    for (const extra of /\\p\{/.test(source) ? ["u", ""] : ["", "u"]) {
      try { out = new RegExp(source, flags + extra); break } catch (error) { out = null }
    }
    compiled.set(key, out)
    return out
  }

  function search(pattern, text, options) {
    const rx = typeof pattern === "string" ? re(pattern, options) : pattern
    if (!rx) return null
    rx.lastIndex = 0
    return rx.exec(text)
  }

  function groupCount(pattern) {
    const rx = re(pattern)
    return rx ? new RegExp(rx.source + "|", rx.flags).exec("").length - 1 : 0
  }

  const escapeRe = text => text.replace(/[\\^$.*+?()[\]{}|\/-]/g, "\\$&")
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0)

  /** A pattern behind a literal every match contains (extract.py's Lazy). */
  function lazy(pattern, literal) {
    return { search: text => (literal && !text.includes(literal) ? null : search(pattern, text)), pattern }
  }

  // ---- normalize (normalize.py) ----------------------------------------------------------------
  const LINE_CAP = 64 * 1024
  const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]/g
  // A JSON string's \n counts only where the string ends a JSON value (normalize.py).
  const JSON_ESCAPED_LINE = /[^\n]*\\(?:"|u[0-9a-fA-F]{4}|n"(?=[ \t]*(?:[,}\]]|\n|$)))[^\n]*/g
  const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?|(["\\/bfnrt]))/g
  const NESTING = 4
  const SIMPLE = { '"': '"', "\\": "\\", "/": "/", b: "", f: "", n: "\n", r: "", t: "\t" }

  function unescapeOnce(line) {
    return line.replace(JSON_ESCAPE, (_, hex, low, simple) => {
      if (simple !== undefined) return SIMPLE[simple]
      const high = parseInt(hex, 16)
      if (low !== undefined && high >= 0xd800 && high <= 0xdbff)
        return String.fromCodePoint(0x10000 + ((high - 0xd800) << 10) + (parseInt(low, 16) - 0xdc00))
      if (high >= 0xd800 && high <= 0xdfff) return "\ufffd"
      return String.fromCharCode(high)
    })
  }

  // Go's %q escapes once more for each error it wraps: unescape a few levels (normalize.py).
  function unescapeJsonLines(text) {
    return text.replace(JSON_ESCAPED_LINE, line => {
      for (let pass = 0; pass < NESTING; pass++) {
        line = unescapeOnce(line)
        if (!line.includes('\\"')) break
      }
      return line
    })
  }

  /** Pasted text -> cleaned text of whole lines (each ending in \n) and warnings. */
  function normalize(text) {
    const warnings = []
    text = String(text).replace(/\r\n/g, "\n").replace(/\r/g, "\n")
    if (text.includes("\x1b")) text = text.replace(ANSI, "")
    if (text.includes("\x00")) text = text.replace(/\x00/g, "")
    text = text.replace(/[\u00a0\u202f]/g, " ")
    if (text.includes("\\") && (text.includes('\\"') || text.includes("\\u") || text.includes('\\n"')))
      text = unescapeJsonLines(text)
    const lines = text.split("\n")
    if (lines.length && lines[lines.length - 1] === "") lines.pop()
    lines.forEach((line, n) => {
      if (line.length > LINE_CAP) {
        lines[n] = line.slice(0, LINE_CAP)
        warnings.push({ code: "long-line", line: n + 1, length: line.length, cap: LINE_CAP })
      }
    })
    return { lines, warnings }
  }

  // ---- decoration (decoration.py) --------------------------------------------------------------
  const PREFIXES = [
    String.raw`\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\]?:?\s+`,
    String.raw`(?:stdout|stderr) [FP] `,
    String.raw`##\[(?:error|warning|notice|debug|group|endgroup|command)\]`,
    String.raw`#\d+ \d+(?:\.\d+)? `,
    String.raw`\[\s*\d+\.\d+\]\s*`,
    String.raw`\S{3,}\s+\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)? \S+ [^\s:]+(?:\[\d+\])?: `,
    String.raw`\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+`,
    String.raw`(?:>\s?)+`,
    String.raw`#\s+`,
    String.raw`[-*+]\s+`,
    String.raw`\s+`,
    String.raw`(?:E|W|I)\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.]+:\d+\] `,
    String.raw`\[(?:ERROR|WARN(?:ING)?|INFO|DEBUG|FATAL)\]\s*`,
    String.raw`\w[\w.-]*\s+\|\s`,
    String.raw`\{[^{}]*?"(?:log|msg|message|line|output|text)"\s*:\s*"`,
  ]
  const PREFIX = new RegExp("^(?:" + PREFIXES.map(p => `(?:${p})`).join("|") + ")")
  const MAX_LAYERS = 6
  const TRAILING = /[ \t."'`,;]+$/

  function variants(line) {
    const found = [line]
    let current = line
    for (let n = 0; n < MAX_LAYERS; n++) {
      const match = PREFIX.exec(current)
      if (!match || match[0].length === 0) break
      current = current.slice(match[0].length)
      found.push(current)
    }
    const stripped = current.replace(TRAILING, "")
    if (stripped !== current) found.push(stripped)
    return [...new Set(found.filter(Boolean))]
  }

  // ---- features (types.py Feature) -------------------------------------------------------------
  function feature(kind, fields) {
    const pairs = Object.entries(fields).filter(([, v]) => v).sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]))
    return { kind, fields: pairs, key: kind + "\u0000" + pairs.map(p => p.join("=")).join("\u0000") }
  }
  // Every word of `alone` is in `joined`, and `joined` has more (scan.py _says_more).
  function saysMore(joined, alone) {
    const words = f => new Set(f.fields.flatMap(([k, v]) => v.split(" ").map(t => k + "=" + t)))
    const a = words(alone), j = words(joined)
    return [...a].every(w => j.has(w)) && j.size > a.size
  }
  const featureGet = (f, key) => (f.fields.find(([k]) => k === key) || [])[1] || ""

  // ---- extract (extract.py) --------------------------------------------------------------------
  const KV = String.raw`([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|([^\s,;]+))`
  const BRACES = String.raw`\{\s*([^}]*?)\s*\}`
  const SECCOMP_ACTIONS = { 0x80000000: "kill_process", 0x00000000: "kill_thread", 0x00030000: "trap",
    0x00050000: "errno", 0x7fc00000: "user_notif", 0x7ff00000: "trace", 0x7ffc0000: "log", 0x7fff0000: "allow" }

  // auditd's enriched format appends "AUID=..." after an invisible separator, which a paste often
  // loses ("code=0x30000AUID=..."): the value ends there.
  function seccompAction(code) {
    code = code.split(/AUID=|\x1d/)[0]
    const value = /^0x[0-9a-f]+$/i.test(code) ? parseInt(code, 16) : /^-?\d+$/.test(code) ? parseInt(code, 10) : NaN
    if (Number.isNaN(value)) return "unknown"
    return SECCOMP_ACTIONS[(value & 0xffff0000) >>> 0] || "unknown"
  }

  function named(items) {
    return (items || []).filter(i => i && typeof i === "object").map(i => [i.name, lazy(i.pattern, i.pattern_literal || "")])
  }

  function makeExtractor(spec, errnoTable) {
    const failure = spec.failure || {}
    const mentions = spec.mentions || {}
    const names = Object.keys(errnoTable).sort()
    const alternatives = names.map(name =>
      "(" + [...new Set(errnoTable[name].texts)].sort((a, b) => b.length - a.length).map(escapeRe).join("|") + ")")
    const x = {
      records: (spec.records || []).map(r => ({ kind: r.kind, marker: lazy(r.marker, r.marker_literal || ""), fields: r.fields,
                                                 positional: r.positional ? lazy(r.positional, "") : null })),
      arches: spec.arches || {},
      syscallNumbers: spec.syscalls || {},
      errnoForms: (failure.errno_forms || []).map(p => (typeof p === "object" ? lazy(p.pattern, p.literal || "") : lazy(p, ""))),
      syscallWords: named(failure.syscalls), namespaceWords: named(failure.namespaces),
      // The kinds of namespace (features.yaml `kind`): beside one, the generic "any" and "new" are dropped.
      namespaceKinds: new Set((failure.namespaces || []).filter(w => w && w.kind).map(w => w.name)),
      confinementObjects: new Set(failure.confinement_objects || []),
      fileObjects: new Set(failure.file_objects || []),
      objectWords: named(failure.objects), errnoWords: named(failure.errno_words),
      signalWords: named(failure.signals),
      // The program that printed a failure line, where the line says it (an OCI runtime's set-up).
      programWords: named(failure.programs),
      errnoWordings: named(failure.errno_wordings),
      errorWords: mentions.error_words ? lazy(mentions.error_words, "") : null,
      checks: mentions.checks ? lazy(mentions.checks, "") : null,
      exceptionLine: failure.exception_line ? lazy(failure.exception_line, "") : null,
      chainLine: failure.chain_line ? lazy(failure.chain_line, "") : null,
      quietLine: failure.quiet_line ? lazy(failure.quiet_line, "") : null,
      foreignCall: failure.foreign_call ? lazy(failure.foreign_call, "") : null,
      threadStart: failure.thread_start ? lazy(failure.thread_start, "") : null,
      topics: named(mentions.topics),
      absent: new Map((mentions.topics || []).filter(t => t && typeof t === "object" && t.absent).map(t => [t.name, lazy(t.absent, "")])),
      context: (spec.context || []).map(c => [c.fact, c.value, lazy(c.pattern, c.pattern_literal || ""), groupCount(c.pattern), c.values || null]),
      byNumber: Object.fromEntries(names.map(name => [String(errnoTable[name].number), name])),
      errnoNames: names,
      errnoText: alternatives.length ? new RegExp(alternatives.join("|")) : null,
    }

    x.errnoIn = text => {
      // a program's wording that borrows another errno's text (extract.py errno_wordings)
      const worded = x.errnoWordings.find(([, rx]) => rx.search(text))
      if (worded) return worded[0]
      if (x.errnoText) {
        const found = x.errnoText.exec(text)
        if (found) for (let n = 1; n <= names.length; n++) if (found[n] !== undefined) return names[n - 1]
      }
      for (const form of x.errnoForms) {
        const found = form.search(text)
        if (!found) continue
        const groups = found.groups || {}
        if (groups.name) return groups.name
        if (groups.number !== undefined && x.byNumber[groups.number]) return x.byNumber[groups.number]
      }
      const word = x.errnoWords.find(([, rx]) => rx.search(text))
      return word ? word[0] : null
    }

    const errnoValue = value => {
      let found = /^-(\d{1,3})$/.exec(value)
      if (found) return x.byNumber[found[1]] || null
      found = /^(E[A-Z0-9]{2,8})\b/.exec(value)
      return found ? found[1] : null
    }

    x.recordsIn = text => {
      const out = []
      for (const record of x.records) {
        const marker = record.marker.search(text)
        if (!marker) continue
        const pairs = {}
        for (const kv of text.matchAll(new RegExp(KV, "g"))) {
          if (!(kv[1] in pairs)) pairs[kv[1]] = [kv[2], kv[3], kv[4]].find(g => g !== undefined) ?? ""
        }
        if (record.positional) {
          // A short form's fields by position (extract.py _Record.positional).
          const placed = record.positional.search(text)
          if (placed && placed.groups)
            for (const [key, value] of Object.entries(placed.groups)) if (value !== undefined && !(key in pairs)) pairs[key] = value
        }
        if (record.kind === "selinux") {
          const braces = new RegExp(BRACES, "g")
          braces.lastIndex = marker.index
          const perms = braces.exec(text)
          if (perms) pairs.perms = perms[1].split(/\s+/).filter(Boolean).join(" ")
        }
        const fields = {}
        for (const key of record.fields) if (key in pairs) fields[key] = pairs[key]
        const arch = x.arches[(pairs.arch || "").toLowerCase()] || ""
        if (arch) fields.arch = arch
        if (pairs.syscall !== undefined)
          fields.syscall = (x.syscallNumbers[arch || "x86_64"] || {})[pairs.syscall] ?? pairs.syscall
        for (const key of ["exit", "error"]) {
          if (key in pairs) {
            const name = errnoValue(pairs[key])
            if (name) fields.errno = name
          }
        }
        if (record.kind === "seccomp" && "code" in pairs) fields.action = seccompAction(pairs.code)
        // A record cut before its code=: the kernel logs SIGSYS (31) only for the kill actions (extract.py).
        else if (record.kind === "seccomp" && pairs.sig === "31") fields.action = "kill"
        out.push(feature(record.kind, fields))
      }
      return out
    }

    x.failureIn = text => {
      const errno = x.errnoIn(text)
      if (errno === null) {
        // No errno: a process killed by a signal that names its cause (SIGSYS, SIGTRAP; extract.py).
        const signal = x.signalWords.find(([, rx]) => rx.search(text))
        return signal ? feature("signal", { signal: signal[0] }) : null
      }
      if (x.isForeign(text)) return null
      const words = x.wordsIn(text)
      // A thread that could not be started: its errno is the thread's, a feature of its own (extract.py).
      if (!("namespace" in words) && x.threadStart && x.threadStart.search(text)) return feature("thread", { errno })
      if (!Object.keys(words).length) return null
      const program = x.programWords.find(([, rx]) => rx.search(text))
      return feature("failure", { errno, ...words, ...(program ? { program: program[0] } : {}) })
    }

    // The line's errno follows a call that is not namespace work, on no namespace object.
    x.isForeign = text => {
      const found = x.foreignCall ? x.foreignCall.search(text) : null
      const rest = found ? text.slice(found.index + found[0].length) : ""
      if (!found || x.errnoIn(rest) === null || "syscall" in x.wordsIn(rest)) return false
      const args = x.wordsIn(found.slice(1).find(g => g !== undefined) || "")
      return !("object" in args || "namespace" in args)
    }

    // The syscall, namespace and object words of a line (no errno needed): a traceback frame's.
    x.wordsIn = text => {
      const names = list => list.filter(([, rx]) => rx.search(text)).map(([name]) => name)
      const objects = names(x.objectWords)
      let namespaces = names(x.namespaceWords)
      // "any" and "new" stand for a namespace of no kind the line says: not on a line that names one.
      // An object that is a confinement of its own (Landlock): "sandbox" on its line is no namespace.
      if (namespaces.some(n => x.namespaceKinds.has(n))) {
        namespaces = namespaces.filter(n => n !== "any" && n !== "new")
      } else if (objects.some(o => x.confinementObjects.has(o))) {
        namespaces = namespaces.filter(n => n !== "any")
      }
      // A file named after namespaces (a runtime folder of network namespace files): its name is no namespace.
      if (objects.some(o => x.fileObjects.has(o))) namespaces = []
      const out = { syscall: names(x.syscallWords).join(" "), namespace: namespaces.join(" "), object: objects.join(" ") }
      return Object.fromEntries(Object.entries(out).filter(([, v]) => v))
    }

    // The line, or a layer of it, is logged at an informational level.
    x.isQuiet = forms => !!x.quietLine && forms.some(f => x.quietLine.search(f))
    // The errno of an exception line that names no syscall, namespace or object itself.
    x.bareErrnoIn = text => (x.exceptionLine && x.exceptionLine.search(text) ? x.errnoIn(text) : null)
    x.chainErrnoIn = text => (x.chainLine && x.chainLine.search(text) ? x.errnoIn(text) : null)

    x.mentionsIn = text => {
      if (!x.errorWords || !x.errorWords.search(text)) return []
      if (x.checks && x.checks.search(text)) return []  // a pasted ls or stat (features.yaml `checks`)
      // A mechanism named only to say it is not there is no hint at it (features.yaml `absent`).
      return x.topics.filter(([name, rx]) => rx.search(text) && !(x.absent.has(name) && x.absent.get(name).search(text)))
        .map(([name]) => feature("mention", { topic: name }))
    }

    x.factsIn = forms => {
      const out = []
      for (const [key, fixed, pattern, groups, named] of x.context) {
        for (const text of forms) {
          const match = pattern.search(text)
          if (!match) continue
          let value = fixed !== undefined && fixed !== null ? fixed : groups >= 1 ? match[1] : null
          // the group holds a name that stands for the value (a code name)
          if (value && named) value = Object.prototype.hasOwnProperty.call(named, value.trim().toLowerCase()) ? named[value.trim().toLowerCase()] : null
          if (value) { out.push({ key, value: value.trim() }); break }  // else a later form may hold it
        }
      }
      return out
    }
    return x
  }

  // ---- scan (scan.py, the small-input path) ----------------------------------------------------
  const WRAP_LINES = 2
  const RECORD_WRAP_LINES = 4  // an audit record broken field by field runs longer (scan.py)
  const TRACEBACK_LINES = 12  // an exception line reads the call words of a frame this close above it
  const CHAIN_LINES = 3  // ... and the errno-less failure of an error chain's link this close above
  const ENDS_SENTENCE = /[.!?)\]}`"]$/
  // A line that stops at a call written with its arguments has not said what became of it (scan.py).
  const ENDS_WITH_CALL = /[A-Za-z_][A-Za-z0-9_]*\([^()\t\n\v\f\r ]{1,80}\)$/
  // An audit record whose line stops after a quoted field has not ended either (scan.py).
  // (RE2's "." is any character but \n; JS's also stops at \r, U+2028 and U+2029: [^\n] here.)
  const ENDS_WITH_RECORD_FIELD = /^[^\n]*(?:\baudit\(|\bapparmor=)[^\n]*\b[a-z_]{1,30}="[^"\t\n\v\f\r]{0,200}"$/
  // A record's later line that stops after a quoted field goes on too; one that opens another record
  // does not (scan.py).
  const FIELD_AT_END = /^[^\n]*\b[a-z_]{1,30}="[^"\t\n\v\f\r]{0,200}"$/
  const OPENS_RECORD = /^(?:type=[A-Z_0-9]{1,30} |audit\()/
  const ASCII_SPACE = /^[ \t\n\r\x0b\x0c]+|[ \t\n\r\x0b\x0c]+$/g
  const utf8Length = s => (/^[\x00-\x7f]*$/.test(s) ? s.length : new TextEncoder().encode(s).length)
  const MAX_HITS_PER_SYMPTOM = 20
  const UPPERCASE_LINE = String.raw`^[^a-z\n]*[A-Z]{4}[^a-z\n]*$`

  const WRAP_WIDTH = 60   // a line this long that stops mid-sentence was probably wrapped
  // ... as was a line of any width that stops on a word no sentence ends with, when the next line goes
  // on in lower case (scan.py _ends_unfinished).
  const UNFINISHED = new Set("not but and or the a an to of for with from by is are was were be that".split(" "))
  const endsUnfinished = (line, next) => {
    const words = line.split(/[ \t\n\r\x0b\x0c]+/).filter(Boolean)
    return words.length > 0 && UNFINISHED.has(words[words.length - 1]) && /^[a-z]/.test(next)
  }

  const PROMPT_HEAD = String.raw`(?:\([\w.-]{1,40}\)\s)?(?:\[[^\]]{1,80}\]|[\w.@:~/+-]{1,80})?[$#%] `
  const PROMPT = new RegExp(String.raw`^\s*` + PROMPT_HEAD + String.raw`\S`)
  // A command written out without a prompt (scan.py _is_command): the next line is its output.
  const COMMAND = /^\s*(?:sudo\s+)?[\w./+-]{1,60}\s+--?[A-Za-z](?:[^:]|:\S)*$/
  // A line that opens a message of its own (`toolbox: ...`, or a timestamp of syslog, ISO 8601, dmesg
  // or Chromium) does not continue the one above it (scan.py).
  const NEW_MESSAGE = /^(?:[A-Za-z][\w.-]{0,40}(?:\[\d{1,10}\])?: |(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d |\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d|\[\s*\d+\.\d+\] |\[(?:\d+:){0,2}\d{4}\/\d{6}\.\d{3,6}:)/
  // A pasted `cat` of one file, after a shell prompt or alone (scan.py _is_cat).
  const CAT = new RegExp(String.raw`^\s*(?:` + PROMPT_HEAD + String.raw`)?(?:sudo )?cat ["']?\/[^\s"']+["']?\s*$`)
  const CAT_VALUE = 40
  function continuation(lines, n) {
    const line = lines[n].replace(/[ \t\n\r\x0b\x0c]+$/, "")
    if (CAT.test(line)) {
      // `cat FILE` pasted with its output: a one-line value under it (a sysctl, a module parameter).
      const value = n + 1 < lines.length ? lines[n + 1].replace(ASCII_SPACE, "") : ""
      return value && utf8Length(value) <= CAT_VALUE && !value.includes(" ") ? value : ""
    }
    const width = utf8Length(line)
    // A pasted shell command (`user@host:~$ bwrap ...`): what follows is its output.
    if (width < 20 || (ENDS_SENTENCE.test(line) && !ENDS_WITH_CALL.test(line) && !ENDS_WITH_RECORD_FIELD.test(line)) ||
        PROMPT.test(line) || COMMAND.test(line)) return ""
    let apparmorSeen = line.includes("apparmor=")
    const record = apparmorSeen || line.includes("audit(")
    const parts = []
    for (let k = n + 1; k < lines.length && parts.length < (record ? RECORD_WRAP_LINES : WRAP_LINES); k++) {
      const raw = lines[k]
      const next = raw.replace(ASCII_SPACE, "")
      // Wrapped: the line filled a terminal's width, the next one is indented under it, or the line was
      // left open by its last word and the next goes on in lower case (scan.py).
      if (!next || (next.length > 133 && utf8Length(next) > 400) || !(width >= WRAP_WIDTH || /^[ \t]/.test(raw) || endsUnfinished(line, next)) ||
          NEW_MESSAGE.test(next) || (record && (OPENS_RECORD.test(next) || (apparmorSeen && next.startsWith('apparmor="'))))) break
      parts.push(next)
      apparmorSeen = apparmorSeen || next.includes("apparmor=")  // a second verdict opens a second record
      if (ENDS_SENTENCE.test(next) && !(record && FIELD_AT_END.test(next))) break
    }
    return parts.join("\n")  // the lines apart: a message is read joined by spaces, a record also glued
  }

  function makeScanner(index) {
    const owner = [], patterns = [], literals = [], forms = []
    for (const sid of Object.keys(index.symptoms).sort()) {
      const symptom = index.symptoms[sid]
      if (symptom.status === "retired") continue
      const own = symptom.literals || []
      const prefilter = symptom.prefilter && symptom.prefilter.length ? symptom.prefilter : symptom.patterns
      symptom.patterns.forEach((pattern, n) => {
        owner.push(sid); patterns.push(pattern); literals.push(own[n] || ""); forms.push(n < prefilter.length ? prefilter[n] : pattern)
      })
    }
    const features = index.features || {}
    const withLiteral = literals.map((lit, n) => [n, lit]).filter(([, lit]) => lit)
    const withoutLiteral = literals.map((lit, n) => [n, lit]).filter(([, lit]) => !lit).map(([n]) => n)
    // The screen: a pattern whose literal is on the line and whose prefilter form matches it, or
    // a trigger (feature triggers, the forms of patterns without a literal, a line in capitals).
    const triggers = (features.triggers || []).concat(withoutLiteral.map(n => forms[n])).map(t => re(t)).filter(Boolean)
    triggers.push(new RegExp(UPPERCASE_LINE))
    const anyLiteral = withLiteral.length ? new RegExp([...new Set(withLiteral.map(([, l]) => escapeRe(l)))].join("|")) : null
    const extractor = Object.keys(features).length ? makeExtractor(features, index.errno || {}) : null
    const cache = new Map()

    const isCandidate = text => {
      if (anyLiteral && anyLiteral.test(text))
        for (const [n, literal] of withLiteral) if (text.includes(literal) && search(forms[n], text)) return true
      return triggers.some(t => t.test(text))
    }
    const candidates = text => withLiteral.filter(([, lit]) => text.includes(lit)).map(([n]) => n).concat(withoutLiteral)

    function factSet(sid, number, forms) {
      const sets = index.symptoms[sid].sets_fact
      if (!sets || !sets.fact) return null
      const value = sets.value || ""
      if (value.includes("$1")) {
        for (const form of forms) {
          const found = search(patterns[number], form)
          if (found && found.length > 1 && found[1] !== undefined)
            return { key: sets.fact, value: value.replace("$1", found[1].trim()) }
        }
        return null
      }
      return { key: sets.fact, value }
    }

    // The audit records of a line; one a terminal wrapped at its width (mid-word, or at a space
    // the paste lost) is read joined with its next lines, whichever way gives more fields.
    function records(text, parts) {
      const found = extractor.recordsIn(text)
      if (!found.length || !parts.length || parts.some(part => extractor.recordsIn(part).length)) return found
      const best = new Map(found.map(f => [f.kind, f]))
      for (const joined of [text.trimEnd() + " " + parts.join(" "), text.trimEnd() + parts.join("")])
        for (const f of extractor.recordsIn(joined))
          if (best.has(f.kind) && f.fields.length > best.get(f.kind).fields.length) best.set(f.kind, f)
      return found.map(f => best.get(f.kind))
    }

    function analyse(text, more) {
      const key = more ? text + "\n" + more : text
      if (cache.has(key)) return cache.get(key)
      const result = { text, symptoms: [], features: [], facts: [], sets: [] }
      const forms = variants(text)
      const own = forms.length  // forms.slice(0, own): this line alone; the rest: joined with `more`
      const parts = more ? more.split("\n") : []
      const spaced = parts.join(" ")
      if (more) for (const f of variants(text.trimEnd() + " " + spaced)) if (!forms.includes(f)) forms.push(f)
      const rest = more ? variants(spaced) : []
      const matched = new Set()
      for (const number of candidates(forms.length === 1 ? forms[0] : forms.join(" "))) {
        const hits = form => search(patterns[number], form) !== null
        // A match that needs the next lines counts only when the next lines alone do not match.
        if (forms.slice(0, own).some(hits) || (forms.slice(own).some(hits) && !rest.some(hits))) matched.add(number)
      }
      if (!matched.size && !/\p{Ll}/u.test(text)) {
        const lowered = forms.join(" ").toLowerCase()
        literals.forEach((literal, number) => {
          if ((!literal || lowered.includes(literal.toLowerCase())) && forms.some(form => search(patterns[number], form, { ci: true })))
            matched.add(number)
        })
      }
      const seen = new Set()
      for (const number of [...matched].sort((a, b) => a - b)) {
        const sid = owner[number]
        if (seen.has(sid)) continue
        seen.add(sid)
        result.symptoms.push(sid)
        const fact = factSet(sid, number, forms)
        if (fact) result.sets.push(fact)
      }
      if (extractor) {
        const isError = result.symptoms.some(s => index.symptoms[s].kind === "error")
        result.features.push(...records(text, parts))
        if (!isError && !result.features.length) {
          // Joined with the next lines only when those alone say nothing (as for symptoms).
          const body = forms[own - 1]
          const joined = forms[forms.length - 1]
          let failure = extractor.failureIn(body)
          let mentions = extractor.mentionsIn(body)
          if (more && rest.length && !failure) {
            // The joined line counts when the next line says nothing by itself, or says less.
            let together = extractor.failureIn(joined)
            // Wrapped mid-word by a fixed width ("Operation not p" / "ermitted").
            if (!together && /\p{L}$/u.test(text) && /^\p{Ll}/u.test(parts[0])) {
              const glued = variants(text + parts.join(""))
              together = extractor.failureIn(glued[glued.length - 1])
            }
            const alone = extractor.failureIn(rest[rest.length - 1])
            if (together && (!alone || saysMore(together, alone))) failure = together
          }
          if (failure && extractor.isQuiet(forms.slice(0, own))) failure = null  // an INFO or DEBUG line: the program goes on
          if (more && rest.length && !mentions.length && !extractor.mentionsIn(rest[rest.length - 1]).length) mentions = extractor.mentionsIn(joined)
          // The line's error is a call unrelated to namespaces: what it names is no hint (scan.py).
          if (!failure && mentions.length && extractor.isForeign(body)) mentions = []
          if (failure) {
            result.features.push(failure)
            if (failure.kind === "failure" && Object.fromEntries(failure.fields).errno === "EUNKNOWN") {
              // An error chain's link: the errno may come on a line just below (scan.py).
              result.unsaid = failure
              result.words = Object.fromEntries(failure.fields.filter(([k]) => ["syscall", "namespace", "object"].includes(k)))
            }
            // A topic that is the failed call or object itself is that failure, not a hint (scan.py).
            const said = new Set(failure.fields.filter(([k]) => k === "syscall" || k === "object").flatMap(([, v]) => v.split(" ")))
            mentions = mentions.filter(m => !said.has(Object.fromEntries(m.fields).topic))
          } else {
            result.words = extractor.wordsIn(body)
            if (!Object.keys(result.words).length) {
              result.bareErrno = extractor.bareErrnoIn(body)
              result.chainErrno = extractor.chainErrnoIn(body)
            }
          }
          result.features.push(...mentions)
        }
        result.facts.push(...extractor.factsIn(forms))
      }
      if (cache.size < 4096) cache.set(key, result)
      return result
    }

    /** Every line of one input into `scan` (symptom, feature and fact hits, first line wins). */
    function feed(scan, source, lines) {
      scan.sources.push(source)
      let frameWords = null
      let wrappedTo = 0  // the last line that continues an error symptom's line (scan.py record)
      lines.forEach((line, n) => {
        if (!line || !(cache.has(line) || isCandidate(line))) return
        const more = continuation(lines, n)
        const result = analyse(line, more)
        const hit = { file: source, line: n + 1, text: result.text }
        for (const sid of result.symptoms) {
          const hits = scan.symptomHits.get(sid) || []
          scan.symptomHits.set(sid, hits)
          scan.symptomCounts.set(sid, (scan.symptomCounts.get(sid) || 0) + 1)
          if (hits.length < MAX_HITS_PER_SYMPTOM) hits.push(hit)
        }
        // A wrapped error message is one event: its continuation lines give no generic evidence again.
        const wrapped = n + 1 <= wrappedTo
        if (more && result.symptoms.some(s => index.symptoms[s].kind === "error")) wrappedTo = n + 1 + more.split("\n").length
        for (const f of result.features) {
          if ((wrapped && ["failure", "thread", "signal", "mention"].includes(f.kind)) || scan.completed.has(f.key)) continue
          if (!scan.featureHits.has(f.key)) scan.featureHits.set(f.key, { feature: f, hit })
        }
        for (const fact of result.facts.concat(result.sets)) {
          const key = fact.key + "\u0000" + fact.value
          if (!scan.lineFacts.has(key)) scan.lineFacts.set(key, { fact, hit })
        }
        if (result.words && Object.keys(result.words).length) frameWords = [n + 1, result.words, result.unsaid || null]
        else if (frameWords) {
          // A traceback: the frames just above name the call whose errno this line reports. An error
          // chain: the link just above failed without an errno, and this line completes it (scan.py).
          const unsaid = frameWords[2]
          const distance = n + 1 - frameWords[0]
          const errno = unsaid ? (result.chainErrno || result.bareErrno) : result.bareErrno
          if (errno && distance > 0 && distance <= (unsaid ? CHAIN_LINES : TRACEBACK_LINES)) {
            if (unsaid) {
              // One event: the errno-less failure goes, wherever and however often it was seen.
              scan.completed.add(unsaid.key)
              scan.featureHits.delete(unsaid.key)
            }
            const f = feature("failure", { errno, ...frameWords[1] })
            if (!scan.featureHits.has(f.key)) scan.featureHits.set(f.key, { feature: f, hit })
          }
        }
      })
      scan.lines += lines.length
    }
    return { feed }
  }

  const newScan = () => ({ symptomHits: new Map(), symptomCounts: new Map(), featureHits: new Map(),
    lineFacts: new Map(), warnings: [], lines: 0, bytes: 0, sources: [], completed: new Set() })

  // ---- conditions (conditions.py) --------------------------------------------------------------
  const matches = (pattern, value) => { const rx = re(pattern); return rx ? (rx.lastIndex = 0, rx.test(value)) : null }
  const testsOf = c => (Array.isArray(c.all) ? c.all : [c]).filter(t => t && typeof t === "object")

  function testHolds(test, facts) {
    const value = facts[test.fact || ""]
    if (value === undefined) return null
    if (value.startsWith("unknown:")) {
      const named = "equals" in test ? [test.equals] : test.in || []
      return named.includes(value) ? true : null
    }
    if ("equals" in test) return value === test.equals
    if ("in" in test) return test.in.includes(value)
    if ("matches" in test) return matches(test.matches, value)
    return null
  }

  function conditionHolds(condition, facts) {
    const tests = testsOf(condition)
    const results = tests.map(t => testHolds(t, facts))
    const keys = tests.map(t => t.fact || "")
    if (!results.length) return [null, keys]
    if (results.some(r => r === false)) return [false, keys]
    if (results.every(r => r === true)) return [true, keys]
    return [null, keys]
  }

  function holding(conditions, facts) {
    const keys = []
    let tests = 0
    for (const condition of conditions) {
      const [holds, read] = conditionHolds(condition, facts)
      if (holds) { for (const k of read) if (!keys.includes(k)) keys.push(k); tests = Math.max(tests, read.length) }
    }
    return [keys, tests]
  }

  function conditionKeys(cause) {
    const keys = []
    for (const condition of (cause.confirms || []).concat(cause.rules_out || []))
      for (const test of testsOf(condition)) if (test.fact && !keys.includes(test.fact)) keys.push(test.fact)
    return keys
  }

  // ---- model (model.py) ------------------------------------------------------------------------
  // The model's constants are not written here: the site ships them in the match index (`model`,
  // src/nskb/site/match_asset.py), read from nskb.diagnose.model, so a change there reaches the
  // page with the next build. `diagnose` sets M from the index it is given.
  const MODEL_KEYS = ["P_LINK", "P_UNLISTED", "P_OTHER", "P_BACKGROUND", "P_VAGUE_BACKGROUND", "FEATURE_LEVEL", "LR_CLUE", "LR_LOWERS",
    "LR_CONFIRMS", "LR_CONFIRMS_EACH_MORE", "LR_RULES_OUT", "P_OTHER_PRIOR", "P_SILENT_CAUSE", "P_SILENT_OTHER", "PREVALENCE", "CONFIDENT", "TEMPERATURE",
    "FAILURE_FACTS", "PROBE_ATTEMPTS", "RECORD_KINDS", "DECIDED", "CLOSE", "STRENGTH_ORDER", "MIN_SHOWN", "GENERAL_TOOLS", "MECHANISM_TOOLS", "RISK_ORDER"]
  let M = null

  function modelOf(index) {
    const model = index && index.model
    const missing = MODEL_KEYS.filter(key => !model || model[key] === undefined)
    if (missing.length) throw new Error(`the match index has no model constants (${missing.join(", ")}): rebuild the site`)
    return model
  }

  /** The probe's own attempt, read as failure lines (`userns.create=EPERM` says what a failed
   * unshare(CLONE_NEWUSER) says), so the same evidence rules weigh it. */
  function probeFailures(facts, sources) {
    const found = new Map()
    for (const [key, fields] of Object.entries(M.PROBE_ATTEMPTS)) {
      const value = facts[key] || ""
      if ((sources[key] || {}).source === "probe" && showsFailure(value) && value.startsWith("E")) {
        const f = feature("failure", { ...fields, errno: value })
        found.set(f.key, { feature: f, hit: { file: "probe", line: 0, text: `${key}=${value}` } })
      }
    }
    return found
  }

  const evidence = (type, weight, code, extra = {}) =>
    ({ type, weight, code, id: "", value: "", file: "", line: 0, source: "", counted: true, ...extra })

  function makeTally(causes) {
    const t = { causes, channels: {}, context: {}, explained: new Set(), shown: {} }
    for (const c of Object.keys(causes)) { t.channels[c] = new Map(); t.context[c] = []; t.shown[c] = [] }
    t.failure = (cid, channel, weight, ev, listed) => {
      if (listed) { t.explained.add(cid); t.shown[cid].push(ev) }
      const best = t.channels[cid].get(channel)
      const better = !best || weight > best[0] ||
        (weight === best[0] && (ev.file > best[1].file || (ev.file === best[1].file && -ev.line > -best[1].line)))
      if (better) t.channels[cid].set(channel, [weight, ev])
    }
    t.gateContext = () => {
      for (const [cid, items] of Object.entries(t.context))
        if (!t.explained.has(cid)) for (const item of items) if (item.weight > 0) { item.counted = false; item.code += "-unexplained" }
    }
    t.total = (cid, context = true) => [...t.channels[cid].values()].reduce((s, [w]) => s + w, 0) +
      (context ? t.context[cid].filter(e => e.counted).reduce((s, e) => s + e.weight, 0) : 0)
    t.evidence = cid => {
      const counted = new Set([...t.channels[cid].values()].map(([, e]) => e))
      const shown = t.shown[cid].map(item => { item.counted = counted.has(item); return item })
      return shown.concat(t.context[cid]).sort((a, b) =>
        (a.counted === b.counted ? 0 : a.counted ? -1 : 1) || (b.weight - a.weight) || cmp(a.type, b.type) ||
        cmp(a.id, b.id) || cmp(a.file, b.file) || (a.line - b.line) || cmp(a.value, b.value))
    }
    return t
  }

  function whereHolds(where, f) {
    for (const [key, wanted] of Object.entries(where)) {
      const value = featureGet(f, key)
      const tokens = value ? value.split(" ") : []
      // A record's free text (info="no new privs") is one value with spaces: matched whole too (model.py).
      if (typeof wanted === "string") { if (!tokens.includes(wanted) && wanted !== value) return false }
      else if (Array.isArray(wanted)) { if (!wanted.some(w => tokens.includes(w) || w === value)) return false }
      else if (wanted && typeof wanted === "object") {
        if ("matches" in wanted && !tokens.some(t => matches(wanted.matches, t))) return false
        // An absent field, or one whose every value escapes the pattern, passes not_matches (model.py).
        if ("not_matches" in wanted && tokens.some(t => matches(wanted.not_matches, t))) return false
      }
    }
    return true
  }

  // The rule asks for that work itself: one of its names as the syscall or the object (a path's name
  // or a namespace word on the line is no such ask), or the `thread` feature (model.py _names_work).
  function namesWork(rule, other) {
    if (rule.feature === "thread") return true
    const where = rule.where || {}
    return ["syscall", "object"].some(key => {
      const wanted = where[key]
      if (typeof wanted === "string") return other.has(wanted)
      if (Array.isArray(wanted)) return wanted.some(w => other.has(w))
      if (wanted && typeof wanted === "object" && "matches" in wanted) return [...other].some(w => matches(wanted.matches, w))
      return false
    })
  }

  // The other work a feature is (features.yaml failure.other_work), or null when it is, or may be,
  // namespace work (model.py _OtherWork.names).
  function otherWorkNames(index) {
    const spec = ((index.features || {}).failure || {}).other_work || {}
    const syscalls = new Set(spec.syscalls || []), objects = new Set(spec.objects || [])
    const pathObjects = new Set(spec.path_objects || []), errnos = new Set(spec.errnos || [])
    return f => {
      if (f.kind === "thread") return new Set(["thread"])
      if (f.kind !== "failure") return null
      // A limit on processes or memory, whatever the call.
      if (errnos.has(featureGet(f, "errno"))) return new Set([featureGet(f, "errno")])
      const calls = featureGet(f, "syscall").split(" ").filter(Boolean)
      const objs = featureGet(f, "object").split(" ").filter(Boolean)
      const path = objs.filter(o => pathObjects.has(o))
      if (path.length) return new Set(path)  // a path looked at: the other words are its name
      if (!["", "any"].includes(featureGet(f, "namespace")) || !(calls.length + objs.length)) return null
      return calls.every(c => syscalls.has(c)) && objs.every(o => objects.has(o)) ? new Set([...calls, ...objs]) : null
    }
  }

  // The rule may read a failure of other work `other` (null: namespace work, any rule may).
  function readsOther(cause, rule, other) {
    return other === null || namesWork(rule, other) || (cause.other_work || []).some(w => other.has(w))
  }

  // other: the work that failed, when it makes no namespace; a rule reads it only where it names
  // what failed, or where its cause lists that work (`other_work`; model.py _claims).
  function claims(causes, f, facts, other = null) {
    const found = {}
    for (const [cid, cause] of Object.entries(causes)) {
      for (const rule of cause.evidence || []) {
        if (rule.feature !== f.kind || !whereHolds(rule.where || {}, f)) continue
        if (!readsOther(cause, rule, other)) continue
        if ((rule.facts || []).some(c => conditionHolds(c, facts)[0] !== true)) continue
        const strength = rule.strength || "weak"
        if (!(cid in found) || M.STRENGTH_ORDER.indexOf(strength) < M.STRENGTH_ORDER.indexOf(found[cid])) found[cid] = strength
      }
    }
    return found
  }

  // A failure whose only tie to namespace work is a generic word (model.py _vague).
  function isVague(f) {
    return f.kind === "failure" && featureGet(f, "namespace") === "any" && !featureGet(f, "syscall") &&
      !featureGet(f, "object")
  }

  function failureEvidence(index, scan, facts, tally, probeFeatures) {
    let seen = false
    let happened = false  // a failure itself, not only a program's hint at a mechanism
    for (const sid of [...scan.symptomHits.keys()].sort()) {
      const symptom = index.symptoms[sid]
      if (symptom.kind !== "error" || symptom.status === "retired") continue
      seen = happened = true
      const hit = scan.symptomHits.get(sid)[0]
      const strengths = symptom.strength || {}
      const background = M.P_BACKGROUND[symptom.background || "rare"] ?? M.P_OTHER
      for (const cid of Object.keys(tally.causes)) {
        const level = strengths[cid]
        const weight = Math.log((level ? M.P_LINK[level] : M.P_UNLISTED) / background)
        tally.failure(cid, "symptom", weight, evidence("symptom", weight, level ? `symptom-${level}` : "symptom-unlisted",
          { id: sid, file: hit.file, line: hit.line }), Boolean(level))
      }
    }
    const all = new Map([...probeFeatures, ...scan.featureHits])  // a line's hit wins over the probe's
    // A signal that says only how a failure ended (`ending_only`: SIGTRAP) counts only where no
    // other line reports the failure (model.py), so it comes last; SIGSYS counts like any feature.
    const endingOnly = new Set((((index.features || {}).failure || {}).signals || []).filter(s => s.ending_only).map(s => s.name))
    const isLast = f => (f.kind === "signal" && endingOnly.has(featureGet(f, "signal")) ? 1 : 0)
    const ordered = [...all.values()].sort((a, b) => isLast(a.feature) - isLast(b.feature) ||
      cmp(a.feature.kind, b.feature.kind) || cmp(JSON.stringify(a.feature.fields), JSON.stringify(b.feature.fields)))
    const otherNames = otherWorkNames(index)
    const happenedOther = new Set()  // the work seen to fail that makes no namespace (a newer call ...)
    for (const { feature: f, hit } of ordered) {
      if (isLast(f) && (happened || happenedOther.size)) continue
      const other = otherNames(f)
      const claimed = claims(tally.causes, f, facts, other)
      if (!Object.keys(claimed).length) continue
      seen = true
      if (other !== null) other.forEach(w => happenedOther.add(w))
      else if (f.kind !== "mention") happened = true
      const text = f.fields.map(([k, v]) => `${k}=${v}`).join(" ")
      const fromProbe = hit.file === "probe" && hit.line === 0
      const background = isVague(f) ? M.P_VAGUE_BACKGROUND : M.P_OTHER
      for (const cid of Object.keys(tally.causes)) {
        const strength = claimed[cid]
        const weight = Math.log((strength ? M.P_LINK[M.FEATURE_LEVEL[strength]] : M.P_UNLISTED) / background)
        const item = fromProbe  // the probe's own attempt: shown as the fact it is
          ? evidence("probe", weight, `probe-${strength || "unlisted"}`,
            { id: hit.text.split("=")[0], value: hit.text.slice(hit.text.indexOf("=") + 1), source: "probe" })
          : evidence("feature", weight, strength ? `feature-${strength}` : "feature-unlisted",
            { id: f.kind, value: text, file: hit.file, line: hit.line })
        tally.failure(cid, "feature:" + f.kind, weight, item, Boolean(strength))
      }
    }
    if (happened || happenedOther.size) anyFailureEvidence(tally, facts, false, happened ? null : happenedOther)
    return seen
  }

  /** Rules on whatever failed (`feature: any`): where the facts say the failure happened. */
  // asContext: no failure was seen; the rules only say which cause it would most likely be.
  // otherOnly: the work seen to fail, when none of it makes a namespace; only the causes that list
  // some of it in their `other_work` read it.
  function anyFailureEvidence(tally, facts, asContext = false, otherOnly = null) {
    const claimed = claims(tally.causes, feature("any", {}), facts, otherOnly)
    for (const [cid, strength] of Object.entries(claimed)) {
      const weight = Math.log(M.LR_CLUE[M.FEATURE_LEVEL[strength]])
      const keys = new Set()
      for (const rule of tally.causes[cid].evidence || [])
        if (rule.feature === "any")
          for (const c of rule.facts || []) for (const t of testsOf(c)) if ((t.fact || "") in facts) keys.add(t.fact || "")
      const sorted = [...keys].sort()
      const item = evidence("fact", weight, `fact-where-${strength}`,
        { id: sorted.join(", "), value: sorted.map(k => `${k}=${facts[k]}`).join(", ") })
      if (asContext) tally.context[cid].push(item)
      else tally.failure(cid, "feature:any", weight, item, true)
    }
  }

  function clueEvidence(index, scan, tally) {
    // An audit record is read field by field by the causes' evidence rules: a clue pattern on the
    // same line would count the same event twice.
    const recordLines = new Set([...scan.featureHits.values()].filter(({ feature: f }) => M.RECORD_KINDS.includes(f.kind))
      .map(({ hit }) => hit.file + "\u0000" + hit.line))
    for (const sid of [...scan.symptomHits.keys()].sort()) {
      const symptom = index.symptoms[sid]
      if (symptom.kind !== "clue" || symptom.status === "retired") continue
      const hit = scan.symptomHits.get(sid)[0]
      if (recordLines.has(hit.file + "\u0000" + hit.line)) continue
      for (const [cid, level] of Object.entries(symptom.strength || {}))
        if (cid in tally.causes)
          tally.context[cid].push(evidence("clue", Math.log(M.LR_CLUE[level]), `clue-${level}`, { id: sid, file: hit.file, line: hit.line }))
      for (const cid of symptom.lowers || [])
        if (cid in tally.causes)
          tally.context[cid].push(evidence("clue", Math.log(M.LR_LOWERS), "clue-lowers", { id: sid, file: hit.file, line: hit.line }))
    }
    // Clues are one channel: several lines that say the same must not add up. Per cause, the
    // strongest clue for it and the strongest against it count.
    for (const items of Object.values(tally.context)) {
      const clues = items.filter(e => e.type === "clue")
      for (const sign of [1, -1]) {
        const same = clues.filter(e => e.weight * sign > 0).sort((a, b) =>
          (Math.abs(b.weight) - Math.abs(a.weight)) || cmp(a.id, b.id) || cmp(a.file, b.file) || (a.line - b.line))
        for (const extra of same.slice(1)) extra.counted = false
      }
    }
  }

  function factEvidence(causes, facts, sources, tally) {
    const ruledOut = []
    for (const cid of Object.keys(causes).sort()) {
      const cause = causes[cid]
      const [keys, tests] = holding(cause.confirms || [], facts)
      if (keys.length) {
        const weight = Math.log(M.LR_CONFIRMS * M.LR_CONFIRMS_EACH_MORE ** Math.max(0, tests - 1))
        for (const key of keys) {
          const src = sources[key] || {}
          tally.context[cid].push(evidence("fact", weight / keys.length, "fact-confirms",
            { id: key, value: facts[key], source: src.source || "", file: src.file || "", line: src.line || 0 }))
        }
      }
      let certain = false
      const because = []
      for (const condition of cause.rules_out || []) {
        const [holds, read] = conditionHolds(condition, facts)
        if (holds) { certain = certain || Boolean(condition.certain); for (const k of read) if (!because.includes(k)) because.push(k) }
      }
      if (because.length) {
        const weight = Math.log(M.LR_RULES_OUT)
        for (const key of because) {
          const src = sources[key] || {}  // the line a pasted fact came from, as for confirms
          tally.context[cid].push(evidence("fact", weight / because.length, "fact-rules-out",
            { id: key, value: facts[key], source: src.source || "", file: src.file || "", line: src.line || 0 }))
        }
        ruledOut.push({ id: cid, because: because.map(k => ({ key: k, value: facts[k] })), certain })
      }
    }
    return ruledOut
  }

  function softmax(scores) {
    const top = Math.max(...scores.values())
    const mass = new Map([...scores].map(([h, s]) => [h, Math.exp(s - top)]))
    const norm = [...mass.values()].reduce((a, b) => a + b, 0)
    return new Map([...mass].map(([h, m]) => [h, m / norm]))
  }

  function rank(causes, tally, removed, silent, contextOrdersOnly = false) {
    const prevalence = c => M.PREVALENCE[c.prevalence || "uncommon"]
    const totalPrior = Object.values(causes).reduce((s, c) => s + prevalence(c), 0) || 1
    // Finding no failure at all is evidence too: for `other`, against every cause.
    const scores = new Map([["", Math.log(M.P_OTHER_PRIOR) + (silent ? Math.log(M.P_SILENT_OTHER / M.P_SILENT_CAUSE) : 0)]])
    const plain = new Map(scores)  // without context: what `other` gets when context only orders the causes
    for (const [cid, cause] of Object.entries(causes)) {
      if (removed.has(cid)) continue
      const prior = Math.log((1 - M.P_OTHER_PRIOR) * prevalence(cause) / totalPrior)
      scores.set(cid, prior + tally.total(cid) / M.TEMPERATURE)
      plain.set(cid, prior + tally.total(cid, false) / M.TEMPERATURE)
    }
    let share = softmax(scores)
    if (contextOrdersOnly) {
      const other = softmax(plain).get("")
      const within = softmax(new Map([...scores].filter(([h]) => h)))
      share = new Map([["", other], ...[...within].map(([h, p]) => [h, p * (1 - other)])])
    }
    const order = [...scores.keys()].filter(Boolean).sort((a, b) => (scores.get(b) - scores.get(a)) || cmp(a, b))
    const ranked = order.map((cid, n) => ({ id: cid, rank: n + 1, probability: share.get(cid),
      log_odds: tally.total(cid), explained: tally.explained.has(cid), evidence: tally.evidence(cid) }))
    return [ranked, share.get("")]
  }

  function mergeFacts(probe, scan) {
    const facts = { ...probe }
    const sources = Object.fromEntries(Object.keys(probe).map(k => [k, { source: "probe" }]))
    const warnings = []
    const byKey = new Map()
    for (const { fact, hit } of scan.lineFacts.values()) {
      if (!byKey.has(fact.key)) byKey.set(fact.key, [])
      byKey.get(fact.key).push([fact.value, hit])
    }
    for (const key of [...byKey.keys()].sort()) {
      const values = byKey.get(key).sort((a, b) => cmp(a[1].file, b[1].file) || (a[1].line - b[1].line) || cmp(a[0], b[0]))
      const [firstValue, firstHit] = values[0]
      if (key in probe) {
        for (const [value, hit] of values)
          if (value !== probe[key]) warnings.push({ code: "fact-conflict", key, probe: probe[key], value, file: hit.file, line: hit.line })
        continue
      }
      const distinct = [...new Set(values.map(([v]) => v))].sort()
      if (distinct.length > 1) { warnings.push({ code: "fact-conflict-lines", key, values: distinct, file: firstHit.file, line: firstHit.line }); continue }
      facts[key] = firstValue
      sources[key] = { source: "line", file: firstHit.file, line: firstHit.line }
    }
    return [facts, sources, warnings]
  }

  const showsFailure = v => Boolean(v) && v !== "ok" && !v.startsWith("unknown:") && v !== "skipped" && v !== "n/a"

  function decider(index, ranked, facts, verdict) {
    if (ranked.length < 2 || verdict === "no-failure" || (verdict === "cause" && ranked[0].probability >= M.DECIDED)) return null
    const leader = ranked[0].probability
    const between = ranked.slice(0, 3).filter(r => r.probability >= M.CLOSE * leader && r.explained).map(r => r.id)
    if (between.length < 2) return null
    const missing = []
    for (const cid of between)
      for (const key of conditionKeys(index.causes[cid])) {
        const value = facts[key]
        if ((value === undefined || value.startsWith("unknown:")) && !missing.includes(key)) missing.push(key)
      }
    return missing.length ? { between, facts: missing } : null
  }

  function model(index, scan, probeFacts) {
    const [shown, sources, factWarnings] = mergeFacts(probeFacts, scan)
    // The probe's own attempt made as root says nothing, when it succeeds, of what an ordinary
    // user can do: that success counts as unknown. The report keeps the probe's own values.
    const facts = shown["userns.test_uid"] === "0"
      ? Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, M.FAILURE_FACTS.includes(k) && v === "ok" ? "unknown:as-root" : v]))
      : shown
    const causes = Object.fromEntries(Object.entries(index.causes).filter(([, c]) => c.status !== "retired"))
    const tally = makeTally(causes)
    const failureInLog = failureEvidence(index, scan, facts, tally, probeFailures(facts, sources))
    clueEvidence(index, scan, tally)
    let ruledOut = factEvidence(causes, facts, sources, tally)
    const probeFailure = M.FAILURE_FACTS.some(key => showsFailure(facts[key] || ""))
    // Context raises only causes that some failure evidence speaks for.
    if (failureInLog) tally.gateContext()
    const silent = !failureInLog && !probeFailure
    // Where a failure would most likely come from, given the facts: it orders the causes.
    if (silent) anyFailureEvidence(tally, facts, true)
    // With no failure at all (a healthy probe, a log of something else) context raises no cause
    // against `other`: it only orders the causes, within the share that `other` leaves them.
    // Silence is evidence only where a log was read: a probe alone says nothing of the log.
    const [ranked, other] = rank(causes, tally, new Set(ruledOut.filter(r => r.certain).map(r => r.id)),
      silent && scan.lines > 0, silent)
    // Report what was ruled out among the causes the failure speaks for, not all of them.
    if (failureInLog) ruledOut = ruledOut.filter(r => tally.explained.has(r.id))
    const top = ranked[0]
    let verdict
    if (!failureInLog && !probeFailure) verdict = "no-failure"
    else if (top && top.probability >= M.CONFIDENT && top.probability > other && (top.explained || !failureInLog)) verdict = "cause"
    else verdict = "not-sure"
    const symptoms = []
    for (const [sid, hits] of scan.symptomHits)
      for (const h of hits) symptoms.push({ id: sid, kind: index.symptoms[sid].kind, file: h.file, line: h.line, text: h.text })
    symptoms.sort((a, b) => (a.line - b.line) || cmp(a.id, b.id))
    return { verdict, causes: ranked, other, ruled_out: ruledOut, facts: shown, fact_sources: sources, symptoms,
      features: [...scan.featureHits.values()].map(({ feature: f, hit }) => ({ kind: f.kind, fields: Object.fromEntries(f.fields), line: hit.line })),
      warnings: scan.warnings.concat(factWarnings), decide: decider(index, ranked, facts, verdict),
      lines: scan.lines }
  }

  // ---- which causes and fixes a report shows (report/common.py, report/fixes.py) ---------------

  function fixFits(fix, tools, programUnknown) {
    const own = fix.tools || []
    if (!own.length || own.some(t => M.GENERAL_TOOLS.includes(t))) return true
    if (tools.size) return own.some(t => tools.has(t))
    // The failing program is unknown: not a fix written for a single other program.
    return !programUnknown || own.filter(t => !M.MECHANISM_TOOLS.includes(t)).length > 1
  }

  function orderFixes(index, fixIds, tools, programUnknown) {
    const position = new Map(fixIds.map((f, n) => [f, n]))
    let fits = new Map(fixIds.map(f => [f, fixFits(index.fixes[f], tools, programUnknown)]))
    // No fix names the program that failed: as for an unknown program, a general or multi-program fix.
    if (tools.size && ![...fits.values()].some(Boolean)) fits = new Map(fixIds.map(f => [f, fixFits(index.fixes[f], new Set(), true)]))
    const key = f => [fits.get(f) ? 0 : 1, M.RISK_ORDER[index.fixes[f].risk] ?? 3, position.get(f)]
    return [...fixIds].sort((a, b) => { const x = key(a), y = key(b); return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] })
  }

  function shownCauses(result, index, top) {
    // The programs that failed: the tools of the error lines (a clue's tool, or a mechanism such as
    // AppArmor or the kernel, names no program).
    const tools = new Set(result.symptoms.filter(s => index.symptoms[s.id].kind === "error").map(s => index.symptoms[s.id].tool)
      .filter(t => t && !M.MECHANISM_TOOLS.includes(t)))
    if (result.facts["ci.provider"]) tools.add(result.facts["ci.provider"])  // a CI's own fix fits there
    const out = []
    for (const cause of result.causes) {
      if (out.length >= top) break
      const spoken = cause.explained || cause.evidence.some(e => e.counted !== false && e.weight > 0)
      // kb-match compares the probability its JSON carries, rounded to 4 places (types.py to_dict)
      if (!spoken || Math.round(cause.probability * 1e4) / 1e4 < M.MIN_SHOWN) continue
      out.push({ ...cause, fixes: orderFixes(index, (index.causes[cause.id].fixes || []).filter(f => f in index.fixes), tools, !tools.size) })
    }
    return out
  }

  // ---- probe output (probe/parse.py, the parts that decide which facts are kept) ---------------
  const KEY_RE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/
  const MAX_VALUE_CHARS = 1024

  function parseProbe(text) {
    const facts = {}, warnings = []
    text = String(text || "").replace(/^\ufeff/, "").replace(/\r\n?/g, "\n")
    if (!text.trim()) return { facts, warnings }
    const add = (line, key, value) => {
      if (!KEY_RE.test(key)) { warnings.push(`line ${line}: ${key} is not a fact key`); return }
      value = value.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "?").slice(0, MAX_VALUE_CHARS) || "unknown:empty"
      if (key in facts) { if (facts[key] !== value) warnings.push(`line ${line}: ${key} repeats with a different value; kept ${facts[key]}`); return }
      facts[key] = value
    }
    if (/^\s*[{[]/.test(text)) {
      let data
      try { data = JSON.parse(text) } catch (error) { warnings.push(`line 1: not valid JSON (${error.message})`); return { facts, warnings } }
      const object = data && typeof data === "object" && !Array.isArray(data) ? (data.facts && typeof data.facts === "object" ? data.facts : data) : {}
      for (const [key, value] of Object.entries(object)) {
        if (typeof value === "boolean" || typeof value === "number") add(1, key, String(value).toLowerCase())
        else if (value === null) add(1, key, "")
        else if (typeof value === "string") add(1, key, value.trim())
      }
    } else {
      text.split("\n").forEach((raw, n) => {
        const line = raw.trim()
        if (!line || /^(```|~~~)/.test(line) || line.startsWith("#")) return
        const at = line.indexOf("=")
        if (at < 0) { warnings.push(`line ${n + 1}: not a key=value line`); return }
        add(n + 1, line.slice(0, at).trim(), line.slice(at + 1).trim())
      })
    }
    if (!Object.keys(facts).length) warnings.push("line 1: no key=value facts found")
    return { facts, warnings }
  }

  // ---- the whole run ---------------------------------------------------------------------------
  const scanners = new WeakMap()

  /** kb-match's result for a pasted log and probe output: the verdict, the causes a report shows
   * (top three, each with its fixes, the safest for the failing program first), evidence, facts. */
  function diagnose(index, logText, probeText, { top = 3 } = {}) {
    if (!scanners.has(index)) scanners.set(index, makeScanner(index))
    M = modelOf(index)
    const scan = newScan()
    const { lines, warnings } = normalize(logText || "")
    scan.warnings.push(...warnings)
    scanners.get(index).feed(scan, "<stdin>", lines)
    const probe = parseProbe(probeText)
    const result = model(index, scan, probe.facts)
    result.warnings.push(...probe.warnings.map(message => ({ code: "probe", message })))
    result.all_causes = result.causes
    result.causes = shownCauses(result, index, top)
    return result
  }

  const api = { diagnose, normalize, variants, parseProbe, re }
  if (typeof module !== "undefined" && module.exports) module.exports = api
  else root.nskbEngine = api
})(typeof self !== "undefined" ? self : this)
