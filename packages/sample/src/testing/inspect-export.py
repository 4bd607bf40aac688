"""Independent reader for tests: inspects a generated export with Python's zipfile and csv modules and
prints a JSON summary. Usage: python3 inspect-export.py <export dir> [<truth dir>]"""
import csv, io, json, os, re, sys, zipfile

KINDS = ['Public', 'Private', 'Miscellaneous']


def line_ends(text):
    """Counts record terminators outside quoted fields: (crlf, bare lf), plus quoted LF / CRLF seen."""
    crlf = lf = quoted_lf = quoted_crlf = 0
    in_quotes = False
    for i, ch in enumerate(text):
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == '\n':
            is_crlf = i > 0 and text[i - 1] == '\r'
            if in_quotes:
                if is_crlf:
                    quoted_crlf += 1
                else:
                    quoted_lf += 1
            elif is_crlf:
                crlf += 1
            else:
                lf += 1
    return crlf, lf, quoted_lf, quoted_crlf


def table_summary(raw):
    bom = raw.startswith(b'\xef\xbb\xbf')
    text = raw.decode('utf-8-sig')
    rows = list(csv.reader(io.StringIO(text, newline='')))
    crlf, lf, quoted_lf, quoted_crlf = line_ends(text)
    cells = [c for r in rows[1:] for c in r]
    return {
        'bom': bom, 'header': rows[0], 'rows': len(rows) - 1, 'crlf': crlf, 'lf': lf,
        'quotedLf': quoted_lf, 'quotedCrlf': quoted_crlf,
        'widths': sorted(set(len(r) for r in rows)),
        'spacesOnly': sum(1 for c in cells if c != '' and c.strip() == ''),
        'emoji': sum(1 for c in cells if any(ord(ch) > 0xFFFF for ch in c)),
        'data': rows[1:],
    }


def main():
    out_dir = sys.argv[1]
    problems = []
    result = {'files': sorted(os.listdir(out_dir)), 'problems': problems}
    raw = open(os.path.join(out_dir, 'export.csv'), 'rb').read()
    rows = list(csv.reader(io.StringIO(raw.decode('utf-8-sig'), newline='')))
    stats_at = [r[0] for r in rows].index('Statistics')
    result['manifest'] = {
        'bom': raw.startswith(b'\xef\xbb\xbf'), 'header': rows[0],
        'files': [r[0] for r in rows[1:stats_at]], 'urls': [r[1] for r in rows[1:stats_at]],
        'stats': {r[0]: int(r[1]) for r in rows[stats_at + 1:]},
    }
    z = zipfile.ZipFile(os.path.join(out_dir, 'export.zip'))
    if z.testzip() is not None:
        problems.append('export.zip: bad CRC')
    result['exportZip'] = {'entries': z.namelist(),
                           'tables': {name: table_summary(z.read(name)) for name in z.namelist()}}
    parts = []
    for name in sorted(f for f in os.listdir(out_dir) if f.startswith('Attachment_')):
        m = re.fullmatch(r'Attachment_(\d+)-(\d+)\.zip', name)
        if not m:
            problems.append(f'{name}: bad part name')
            continue
        first, last = m.group(1), m.group(2)
        z = zipfile.ZipFile(os.path.join(out_dir, name))
        if z.testzip() is not None:
            problems.append(f'{name}: bad CRC')
        folders = {}
        files = markers = size = 0
        for info in z.infolist():
            pm = re.fullmatch(r'Attachments_(\d+)-(\d+)/Candidate_(\d+)/(Public|Private|Miscellaneous)/([^/]+)', info.filename)
            if not pm or pm.group(1) != first or pm.group(2) != last:
                problems.append(f'{name}: unexpected entry {info.filename}')
                continue
            kinds = folders.setdefault(pm.group(3), {k: [] for k in KINDS})
            kinds[pm.group(4)].append(pm.group(5))
            if pm.group(5) == 'empty.txt':
                markers += 1
                if info.file_size != 0:
                    problems.append(f'{info.filename}: marker not empty')
            else:
                files += 1
                size += info.file_size
                head = z.open(info).read(4)
                if head not in (b'%PDF', b'PK\x03\x04'):
                    problems.append(f'{info.filename}: no PDF/DOCX header')
        ids = list(folders)
        if ids != sorted(ids) or (ids and (ids[0] != first or ids[-1] != last)):
            problems.append(f'{name}: folders not sorted from {first} to {last}')
        for cid, kinds in folders.items():
            for kind, names in kinds.items():
                if names == ['empty.txt']:
                    continue
                if not names or 'empty.txt' in names:
                    problems.append(f'{name}: Candidate_{cid}/{kind} has {names}')
                    continue
                stems = {re.sub(r'_\d+(\.\w+)$', r'\1', n) for n in names}
                expected = set()
                if len(stems) == 1:
                    stem = stems.pop()
                    dot = stem.rfind('.')
                    expected = {stem} | {f'{stem[:dot]}_{i}{stem[dot:]}' for i in range(1, len(names))}
                if set(names) != expected:
                    problems.append(f'{name}: Candidate_{cid}/{kind} suffixes {names}')
        parts.append({'file': name, 'first': first, 'last': last, 'entries': len(z.infolist()),
                      'files': files, 'markers': markers, 'bytes': size, 'folders': ids,
                      'suffixed': sum(1 for k in folders.values() for n in k.values() if len(n) > 1),
                      'size': os.path.getsize(os.path.join(out_dir, name))})
    result['parts'] = parts
    if len(sys.argv) > 2:
        records = {}
        rec_dir = os.path.join(sys.argv[2], 'records')
        if os.path.isdir(rec_dir):
            for f in sorted(os.listdir(rec_dir)):
                with open(os.path.join(rec_dir, f), encoding='utf-8') as fh:
                    records[f[:-len('.ndjson')]] = [json.loads(line) for line in fh]
        result['records'] = records
    json.dump(result, sys.stdout, ensure_ascii=False)


main()
