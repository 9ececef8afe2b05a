#!/usr/bin/env python3
"""Wrap C# lines over LIMIT characters (the .editorconfig's max_line_length) without changing what the code means.

    scripts/wrap-long-lines.py FILE.cs ...        e.g.  scripts/wrap-long-lines.py $(git ls-files 'src/*.cs' 'build/*.cs')

Only lines over the limit are touched. A line is broken at a code position (after ', ', before ' && ' / ' || ' / ' ?? ',
after ' => ' / ' = ' / '(', before '.' of a call chain), or a regular/interpolated string literal is split at a space
(or at an interpolation hole) into two literals joined with '+'.
Comments are re-flowed. Lines inside multi-line verbatim or raw strings are left.
"""
import re
import sys

LIMIT = 140  # keep equal to max_line_length in .editorconfig ([*.cs]); LineWidthTests read it there


def lex(text):
    """Per character class: 'c' code, 's' string content/quotes, 'm' comment. Also string tokens with their kind."""
    n = len(text)
    cls = ['c'] * n
    strings = []  # (start, end_exclusive, kind, interp, holes:list of (s,e))
    i = 0
    stack = []  # for interpolation holes: (token_index, brace_depth)

    def lex_string(i):
        # returns end index (exclusive) of the string token starting at i
        j = i
        dollars = 0
        verbatim = False
        while j < n and text[j] in '$@':
            if text[j] == '$':
                dollars += 1
            else:
                verbatim = True
            j += 1
        if text.startswith('"""', j):
            q = 0
            while j + q < n and text[j + q] == '"':
                q += 1
            k = j + q
            close = '"' * q
            holes = []
            while k < n and not text.startswith(close, k):
                if dollars and text.startswith('{' * dollars, k) and not text.startswith('{' * (dollars + 1), k):
                    e = skip_hole(k + dollars, dollars)
                    holes.append((k, e))
                    k = e
                    continue
                k += 1
            end = k + q
            strings.append((i, end, 'raw', dollars > 0, holes))
            return end
        j += 1  # opening quote
        holes = []
        while j < n:
            ch = text[j]
            if verbatim:
                if ch == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        j += 2
                        continue
                    break
            else:
                if ch == '\\':
                    j += 2
                    continue
                if ch == '"' or ch == '\n':
                    break
            if dollars:
                if text.startswith('{{', j):
                    j += 2
                    continue
                if text.startswith('}}', j):
                    j += 2
                    continue
                if ch == '{':
                    e = skip_hole(j + 1, 1)
                    holes.append((j, e))
                    j = e
                    continue
            j += 1
        end = j + 1
        strings.append((i, end, 'verbatim' if verbatim else 'regular', dollars > 0, holes))
        return end

    def skip_hole(j, closers):
        depth = 0
        while j < n:
            ch = text[j]
            if ch == '"' or (ch in '$@' and j + 1 < n and text[j + 1] in '"$@'):
                j = lex_string(j)
                continue
            if ch == "'":
                j = skip_char(j)
                continue
            if ch in '({[':
                depth += 1
            elif ch in ')]':
                depth -= 1
            elif ch == '}':
                if depth == 0:
                    return j + closers
                depth -= 1
            j += 1
        return j

    def skip_char(j):
        k = j + 1
        while k < n and text[k] != "'" and text[k] != '\n':
            if text[k] == '\\':
                k += 1
            k += 1
        return k + 1

    while i < n:
        ch = text[i]
        if text.startswith('//', i):
            e = text.find('\n', i)
            e = n if e < 0 else e
            for k in range(i, e):
                cls[k] = 'm'
            i = e
            continue
        if text.startswith('/*', i):
            e = text.find('*/', i)
            e = n if e < 0 else e + 2
            for k in range(i, e):
                cls[k] = 'm'
            i = e
            continue
        if ch == '"' or (ch in '$@' and i + 1 < n and text[i + 1] in '"$@' and not (i > 0 and (text[i - 1].isalnum() or text[i - 1] == '_'))):
            start = len(strings)
            e = lex_string(i)
            for k in range(i, e):
                cls[k] = 's'
            # holes are code: mark them so breaks can't land there anyway (keep as 's' = unbreakable)
            i = e
            continue
        if ch == "'":
            e = skip_char(i)
            for k in range(i, e):
                cls[k] = 's'
            i = e
            continue
        i += 1
    # only top-level string tokens matter for splitting (nested ones are inside holes)
    top = []
    last_end = -1
    for s in sorted(strings):
        if s[0] >= last_end:
            top.append(s)
            last_end = s[1]
    return cls, top


def display_len(s):
    return len(s)


def code_breaks(line, lcls):
    """Candidate break positions in a line: (pos, priority, kind). Text before pos stays; after goes to the next line."""
    cands = []
    depth = 0
    depths = []
    for k, ch in enumerate(line):
        depths.append(depth)
        if lcls[k] != 'c':
            continue
        if ch in '([{':
            depth += 1
        elif ch in ')]}':
            depth -= 1
    for k, ch in enumerate(line):
        if lcls[k] != 'c':
            continue
        d = depths[k]
        if ch == ',' and k + 1 < len(line) and line[k + 1] == ' ':
            cands.append((k + 2, d, 'comma'))
        for op in (' && ', ' || ', ' ?? ', ' ? ', ' + ', ' when '):
            if line.startswith(op, k) and all(c == 'c' for c in lcls[k:k + len(op)]):
                cands.append((k + 1, d, 'op'))
        for op in (' => ', ' = ', ' is ', ' return '):
            if line.startswith(op, k) and all(c == 'c' for c in lcls[k:k + len(op)]):
                cands.append((k + len(op), d + 0.5, 'after'))
        if ch == '(' and k + 1 < len(line) and line[k + 1] != ')':
            cands.append((k + 1, d + 1, 'paren'))
        if ch == '.' and k > 0 and line[k - 1] in ')]' and k + 1 < len(line) and line[k + 1].isalpha():
            cands.append((k, d, 'chain'))
        if ch == ':' and k > 0 and line[k - 1] == ' ' and k + 1 < len(line) and line[k + 1] == ' ':
            # ternary ':' only when a ' ? ' precedes at the same depth on this line
            if ' ? ' in line[:k]:
                cands.append((k, d, 'op'))
    return cands


def string_splits(line, line_start, tokens):
    """Split points inside string literals on this line: (pos_in_line, token) at a space of literal text."""
    out = []
    for (s, e, kind, interp, holes) in tokens:
        if kind not in ('regular',) or e <= line_start or s >= line_start + len(line):
            continue
        if s < line_start or e > line_start + len(line):
            continue
        a, b = s - line_start, e - line_start
        # the literal must not be followed by member access or indexing, nor preceded by a unary/cast context
        after = line[b:].lstrip()
        if after.startswith('.') or after.startswith('['):
            continue
        body_start = a + (1 if interp else 0) + 1
        hole_spans = [(hs - line_start, he - line_start) for hs, he in holes]
        for k in range(body_start + 1, b - 2):
            if any(hs <= k < he for hs, he in hole_spans):
                continue
            if line[k] == ' ':
                out.append((k + 1, (a, b, interp)))
        # between two parts of an interpolated string: just before a hole, or just after one
        for hs, he in hole_spans:
            for k in (hs, he):
                if body_start < k < b - 1 and not any(s2 < k < e2 for s2, e2 in hole_spans):
                    out.append((k, (a, b, interp)))
    return out


def split_literal(line, pos, tok, indent):
    a, b, interp = tok
    head = line[:pos]
    tail_body = line[pos:b]  # rest of literal incl. closing quote
    prefix = line[a:a + (2 if interp else 1)]  # '$"' or '"'
    first_body = line[a + len(prefix):pos]
    # Both halves of an interpolated string stay interpolated: a concatenation of interpolated strings still binds to
    # an interpolated-string handler (string.Create, StringBuilder.Append with a provider); a plain literal would not.
    first = ('$"' if interp else '"') + first_body + '"'
    second_body = tail_body[:-1]
    second = ('$"' if interp else '"') + second_body + '"'
    return line[:a] + first + ' +', indent + second + line[b:]


def wrap_comment(line):
    m = re.match(r'^(\s*)(///?\s?)(.*)$', line)
    if not m:
        return None
    ind, mark, body = m.groups()
    words = body.split(' ')
    out, cur = [], ''
    for w in words:
        cand = (cur + ' ' + w) if cur else w
        if len(ind + mark + cand) > LIMIT and cur:
            out.append(ind + mark + cur)
            cur = w
        else:
            cur = cand
    out.append(ind + mark + cur)
    return out


def wrap_line(line, line_start, cls, tokens, depth=0, is_cont=False):
    if len(line) <= LIMIT or depth > 12:
        return [line]
    lcls = cls[line_start:line_start + len(line)]
    indent = re.match(r'\s*', line).group(0)
    stripped = line.strip()
    if all(c == 'm' for c, ch in zip(lcls, line) if not ch.isspace()):
        if stripped.startswith('//'):
            return wrap_comment(line)
        return [line]
    # trailing comment after code: move it above
    mpos = next((k for k, c in enumerate(lcls) if c == 'm'), None)
    if mpos is not None and line[mpos:].startswith('//') and line[:mpos].strip():
        comment = indent + line[mpos:].strip()
        code = line[:mpos].rstrip()
        out = wrap_comment(comment) if len(comment) > LIMIT else [comment]
        return out + wrap_line(code, line_start, cls, tokens, depth + 1)
    if any(c == 's' for c in lcls) and line_start >= 0 and lcls[0] == 's' and not stripped.startswith(('"', '$"')):
        return [line]  # inside a multi-line literal
    cont = indent if is_cont else indent + '    '
    cands = [(p, d, kind) for p, d, kind in code_breaks(line, lcls) if len(line[:p].rstrip()) <= LIMIT and p > len(indent) + 8]
    best = None
    if cands:
        mind = min(d for _, d, _ in cands)
        best_d = [c for c in cands if c[1] == mind]
        best = max(best_d, key=lambda c: c[0])
    if best is not None:
        p = best[0]
        first = line[:p].rstrip()
        rest = line[p:].lstrip()
        # a break that leaves a long first line unchanged by much or moves little is still fine; recurse on the rest
        if rest:
            return [first] + wrap_line(cont + rest, -1, relex(cont + rest), None, depth + 1, True)
    splits = string_splits(line, line_start, tokens) if tokens is not None else []
    splits = [s for s in splits if len(line[:s[0]]) + 3 <= LIMIT]
    if splits:
        pos, tok = max(splits, key=lambda s: s[0])
        first, second = split_literal(line, pos, tok, cont)
        return [first] + wrap_line(second, -1, relex(second), None, depth + 1, True)
    return [line]


class Relexed(list):
    pass


def relex(s):
    cls, tokens = lex(s)
    r = Relexed(cls)
    r.tokens = tokens
    return r


_orig_wrap = wrap_line


def wrap_line(line, line_start, cls, tokens, depth=0, is_cont=False):  # noqa: F811
    if isinstance(cls, Relexed):
        return _orig_wrap(line, 0, cls, cls.tokens, depth, is_cont)
    return _orig_wrap(line, line_start, cls, tokens, depth, is_cont)


def process(path):
    text = open(path, encoding='utf-8').read()
    cls, tokens = lex(text)
    lines = text.split('\n')
    out = []
    pos = 0
    changed = False
    for line in lines:
        if len(line) > LIMIT:
            new = wrap_line(line, pos, cls, tokens)
            if new != [line]:
                changed = True
            out.extend(new)
        else:
            out.append(line)
        pos += len(line) + 1
    if changed:
        open(path, 'w', encoding='utf-8').write('\n'.join(out))
    return sum(1 for l in out if len(l) > LIMIT)


if __name__ == '__main__':
    left = 0
    for p in sys.argv[1:]:
        k = process(p)
        if k:
            print(f'{p}: {k} long line(s) left')
        left += k
    print('left', left)
