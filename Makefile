# Every target creates .venv when it is missing, so a fresh clone needs nothing else.
VENV ?= .venv
PY := $(VENV)/bin/python
JSGJ := $(VENV)/bin/jsgj
DEMO_DB ?= demo/jsgj-demo.db
DEMO_ASOF ?= 2025-06-29

.PHONY: install lock messages test lint typecheck pytest validate demo bench stress schema clean

# Exactly the locked versions (hashes checked), then jsgj itself without touching them;
# hatchling comes from the lock too, so the editable build needs no other download.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

# Refresh requirements.lock: the newest versions within pyproject.toml's bounds, with
# hashes for every platform (then `make install test` to try them).
lock: install
	$(VENV)/bin/uv pip compile --quiet --upgrade --generate-hashes --universal \
		--python-version 3.11 --no-header --extra dev pyproject.toml -o requirements.lock

# Message catalogs (gettext, Babel): extract every _("...") into the template, merge it
# into the zh and en catalogs, compile them (the .mo files are committed and shipped).
LOCALE := src/jsgj/locale
messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location --sort-output \
		--project jsgj --omit-header -o $(LOCALE)/jsgj.pot src
	for lang in zh en; do \
		if [ -f $(LOCALE)/$$lang/LC_MESSAGES/jsgj.po ]; then \
			$(VENV)/bin/pybabel update --no-fuzzy-matching --ignore-obsolete \
				-i $(LOCALE)/jsgj.pot -d $(LOCALE) -D jsgj -l $$lang; \
		else \
			$(VENV)/bin/pybabel init -i $(LOCALE)/jsgj.pot -d $(LOCALE) -D jsgj -l $$lang; \
		fi; \
	done
	$(VENV)/bin/pybabel compile --statistics -d $(LOCALE) -D jsgj

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

typecheck: install
	$(VENV)/bin/mypy

pytest: install
	$(VENV)/bin/pytest

test: lint typecheck pytest

validate: install
	$(JSGJ) validate

schema: install
	$(JSGJ) schema --output data/schema

# A fresh demo database (half a year of tasks and reports), then the main views as of
# DEMO_ASOF. Each view is one line below: append more views at the end.
demo: install
	$(JSGJ) validate
	$(JSGJ) demo --force --db $(DEMO_DB)
	$(JSGJ) --db $(DEMO_DB) tasks list --as-of $(DEMO_ASOF)
	$(JSGJ) --db $(DEMO_DB) tasks show 3-1 --as-of $(DEMO_ASOF)
	$(JSGJ) --db $(DEMO_DB) matrix --tasks --as-of $(DEMO_ASOF)
	$(JSGJ) --db $(DEMO_DB) matrix --department 人社厅 --measures 12-16 --as-of $(DEMO_ASOF)
	$(JSGJ) --db $(DEMO_DB) report weekly --as-of $(DEMO_ASOF) --format markdown --output 'demo/周报-{year}-W{week}.md'
	$(JSGJ) --db $(DEMO_DB) report weekly --as-of $(DEMO_ASOF) --format html --output 'demo/周报-{year}-W{week}.html'
	$(JSGJ) --db $(DEMO_DB) report weekly --as-of $(DEMO_ASOF) --format docx --output 'demo/周报-{year}-W{week}.docx'
	$(JSGJ) --db $(DEMO_DB) indicators list --as-of $(DEMO_ASOF)
	@sed -n '1,24p' 'demo/周报-2025-W26.md'
	@echo "… demo: the whole weekly report is in demo/周报-2025-W26.md, .html and .docx"

# Benchmarks (benchmarks/RESULTS.md): jsgj beside its floors, Taskwarrior as an anchor
# (installed here when missing, if apt-get may; else that part is skipped) and the
# row-count ladder. BENCH_ARGS= leaves the ladder out; see benchmarks/run.py --help.
BENCH_ARGS ?= --ladder
bench: install
	@command -v task >/dev/null || apt-get install -y -qq taskwarrior >/dev/null 2>&1 \
		|| echo "taskwarrior could not be installed: the Taskwarrior anchor is skipped"
	$(PY) benchmarks/run.py $(BENCH_ARGS)

stress: install
	$(VENV)/bin/pytest -m stress -p no:cacheprovider

clean:
	rm -rf demo build dist .pytest_cache .mypy_cache .ruff_cache

# LibreOffice (Debian: apt-get install libreoffice-calc-nogui) opens the exported ledger
# and a return form: each is converted to CSV headless (every sheet, UTF-8) and checked
# for its Chinese headers, and a note =HYPERLINK(...) must come out as text, not "y".
LO_DIR ?= build/libreoffice-check
LO_CSV := csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1
.PHONY: libreoffice-check
libreoffice-check: install
	@command -v soffice >/dev/null || { echo "soffice not found: apt-get install -y libreoffice-calc-nogui"; exit 1; }
	rm -rf $(LO_DIR) && mkdir -p $(LO_DIR)
	set -e; export JSGJ_DB=$(LO_DIR)/check.db JSGJ_TODAY=2025-06-30; \
	$(JSGJ) assign 1 --title 制定全省职业学校招生计划 --due 2025-12-31 --co 人社厅 >/dev/null; \
	$(JSGJ) assign 6 --title 培育市域产教联合体 --due 2025-10-31 --co 教育厅 >/dev/null; \
	$(JSGJ) progress 1-1 --by 教育厅 --status 推进中 --percent 40 --note '=HYPERLINK("http://x","y")' >/dev/null; \
	$(JSGJ) export --output $(LO_DIR)/ledger.xlsx; \
	$(JSGJ) template 省教育厅 --output $(LO_DIR)/form.xlsx
	soffice -env:UserInstallation=file://$(abspath $(LO_DIR))/profile --headless \
		--convert-to '$(LO_CSV)' --outdir $(LO_DIR) $(LO_DIR)/ledger.xlsx $(LO_DIR)/form.xlsx
	grep -q '^编号,序号,部分,措施,牵头单位,配合单位' '$(LO_DIR)/ledger-措施.csv'
	grep -q '^任务编号,措施,上级任务,任务名称,牵头单位' '$(LO_DIR)/ledger-任务.csv'
	grep -q '^编号,任务编号,报告日期,填报单位,状态,进度%,进展情况' '$(LO_DIR)/ledger-进展.csv'
	grep -qF '"=HYPERLINK(""http://x"",""y"")"' '$(LO_DIR)/ledger-进展.csv'
	grep -q '^填报单位,省教育厅' '$(LO_DIR)/form-进展填报表.csv'
	grep -q '^任务编号,措施,任务名称,角色,截止日期,当前状态,当前进度%,上次填报,状态,进度%,日期,进展情况,佐证材料' \
		'$(LO_DIR)/form-进展填报表.csv'
	@echo "libreoffice-check: LibreOffice opened the ledger (3 sheets) and the form; headers and text cells OK"

# The weekly report of the demo database, rendered by a real browser (Debian:
# apt-get install -y chromium fonts-noto-cjk): demo/weekly.png, the first A4 page.
CHROMIUM ?= chromium
.PHONY: screenshot
screenshot: install
	@command -v $(CHROMIUM) >/dev/null || { echo "$(CHROMIUM) not found: apt-get install -y chromium fonts-noto-cjk"; exit 1; }
	$(JSGJ) demo --force --db $(DEMO_DB)
	$(JSGJ) --db $(DEMO_DB) report weekly --as-of $(DEMO_ASOF) --format html --output demo/weekly.html
	rm -f demo/weekly.png
	profile=$$(mktemp -d) && \
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir=$$profile --screenshot=demo/weekly.png --window-size=1240,1754 \
		file://$(abspath demo/weekly.html) 2>/dev/null; \
	status=$$?; rm -rf $$profile; exit $$status
	test -s demo/weekly.png
	@echo "screenshot: demo/weekly.png (1240x1754, A4 at 150 dpi)"

# Print quality, looked at as pages: the demo's weekly report, matrix, monthly 通报 and
# a 催办通知单 as HTML printed to PDF by headless Chromium and as .docx converted to PDF
# by LibreOffice; a return form and the ledger (.xlsx) printed to PDF by LibreOffice;
# each cut into PNG pages (pdftoppm; the ledger's first 3) in build/print-check/. Each
# PDF must be A4, landscape where PRINT_LANDSCAPE says, and at most as long as
# PRINT_PAGES says (the weekly report: its body, the pages before 附件1). Debian:
# apt-get install -y chromium libreoffice-writer-nogui libreoffice-calc-nogui
# fonts-noto-cjk poppler-utils. Look at the PNGs.
PRINT_DIR ?= build/print-check
PRINT_PAGES ?= weekly:4 matrix:6 monthly:4 notice:2 form:3 ledger:60
PRINT_LANDSCAPE ?= matrix form ledger
.PHONY: print-check
print-check: install
	@command -v $(CHROMIUM) >/dev/null || { echo "$(CHROMIUM) not found: apt-get install -y chromium fonts-noto-cjk"; exit 1; }
	@command -v soffice >/dev/null || { echo "soffice not found: apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui"; exit 1; }
	@command -v pdftoppm >/dev/null || { echo "pdftoppm not found: apt-get install -y poppler-utils"; exit 1; }
	rm -rf $(PRINT_DIR) && mkdir -p $(PRINT_DIR)
	$(JSGJ) demo --force --db $(PRINT_DIR)/demo.db >/dev/null
	set -e; for f in html docx; do \
	  $(JSGJ) --db $(PRINT_DIR)/demo.db report weekly --as-of $(DEMO_ASOF) --format $$f --output $(PRINT_DIR)/weekly.$$f; \
	  $(JSGJ) --db $(PRINT_DIR)/demo.db matrix --tasks --as-of $(DEMO_ASOF) --format $$f --output $(PRINT_DIR)/matrix.$$f; \
	  $(JSGJ) --db $(PRINT_DIR)/demo.db report monthly --month 2025-06 --format $$f --output $(PRINT_DIR)/monthly.$$f; \
	  $(JSGJ) --db $(PRINT_DIR)/demo.db chase 宿迁 --notice --date $(DEMO_ASOF) --format $$f --output $(PRINT_DIR)/notice.$$f; \
	done
	$(JSGJ) --db $(PRINT_DIR)/demo.db template 人社厅 --as-of $(DEMO_ASOF) --output $(PRINT_DIR)/form.xlsx >/dev/null
	$(JSGJ) --db $(PRINT_DIR)/demo.db export --output $(PRINT_DIR)/ledger.xlsx >/dev/null
	set -e; profile=$$(mktemp -d); trap 'rm -rf $$profile' EXIT; for name in weekly matrix monthly notice; do \
	  $(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir=$$profile --no-pdf-header-footer \
		--print-to-pdf=$(abspath $(PRINT_DIR))/$$name-html.pdf \
		file://$(abspath $(PRINT_DIR))/$$name.html 2>/dev/null; \
	  soffice -env:UserInstallation=file://$$profile/lo --headless --convert-to pdf \
		--outdir $(PRINT_DIR)/lo $(PRINT_DIR)/$$name.docx >/dev/null; \
	  mv $(PRINT_DIR)/lo/$$name.pdf $(PRINT_DIR)/$$name-docx.pdf; \
	  pdftoppm -r 60 -png $(PRINT_DIR)/$$name-html.pdf $(PRINT_DIR)/$$name-html; \
	  pdftoppm -r 60 -png $(PRINT_DIR)/$$name-docx.pdf $(PRINT_DIR)/$$name-docx; \
	done; \
	soffice -env:UserInstallation=file://$$profile/lo --headless --convert-to pdf \
		--outdir $(PRINT_DIR)/lo $(PRINT_DIR)/form.xlsx $(PRINT_DIR)/ledger.xlsx >/dev/null; \
	for name in form ledger; do \
	  mv $(PRINT_DIR)/lo/$$name.pdf $(PRINT_DIR)/$$name-xlsx.pdf; \
	  pdftoppm -r 60 -l 3 -png $(PRINT_DIR)/$$name-xlsx.pdf $(PRINT_DIR)/$$name-xlsx; \
	done
	@set -e; for spec in $(PRINT_PAGES); do name=$${spec%%:*}; most=$${spec##*:}; \
	  for pdf in $(PRINT_DIR)/$$name-*.pdf; do \
	    pages=$$(pdfinfo $$pdf | sed -n 's/^Pages: *//p'); \
	    size=$$(pdfinfo $$pdf | sed -n 's/^Page size: *//p'); \
	    body=$$pages; p=1; while [ $$p -le $$pages ]; do \
	      if pdftotext -f $$p -l $$p $$pdf - | grep -qE '^附件 ?1'; then body=$$((p - 1)); break; fi; \
	      p=$$((p + 1)); done; \
	    turn=$$(echo "$$size" | awk '{ print ($$1 > $$3) ? "landscape" : "portrait" }'); \
	    printf '%s: %s pages (%s before 附件), %s, %s\n' $$pdf $$pages $$body "$$size" $$turn; \
	    case "$$size" in *'(A4)'*) ;; *) echo "  not A4"; exit 1;; esac; \
	    [ $$body -le $$most ] || { echo "  more than $$most pages"; exit 1; }; \
	    case " $(PRINT_LANDSCAPE) " in *" $$name "*) [ $$turn = landscape ] || { echo "  not landscape"; exit 1; };; esac; \
	  done; done
	@echo "print-check: A4, landscape where due, within PRINT_PAGES; PNG pages in $(PRINT_DIR)/ (look at them)"
