"""The till app: view-models in plain Python over `cassa.engine`, Flet views over them.

- `cassa.ui.app.TillApp`: the root view-model of one till session (login, day
  opening, sale, payment, cash, summary, safe, closing), each screen's model a
  plain object whose methods call the engine and notify the view;
- `cassa.ui.layout`: the pack's `ViewLayout` (columns, tiles, grouping);
- `cassa.ui.views`: Flet components, pure functions of the view-models;
- `cassa.ui.server`: serves the app in the browser (`cassa till`).
"""
