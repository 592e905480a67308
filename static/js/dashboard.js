/* The dashboard's three charts, drawn from the JSON the page carries (no request of its own). */
(function () {
  var data = JSON.parse(document.getElementById("charts-data").textContent);
  var font = {fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"};
  var charts = [];
  var narrow = window.matchMedia("(max-width: 760px)").matches;
  // Category labels are never cut: each grid makes room for its labels (containLabel), every label is shown
  // (interval 0) and turns on a phone; long unit names wrap within a fixed width rather than run off the left.
  var categoryLabels = {interval: 0, hideOverlap: false, rotate: narrow ? 45 : 0};

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var chart = echarts.init(el, null, {renderer: "svg"});
    option.textStyle = font;
    option.animation = false;
    // A viewBox on the drawn SVG lets the print stylesheet scale the chart to the paper's width.
    chart.on("finished", function () {
      var svg = el.querySelector("svg");
      if (svg) svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
    });
    chart.setOption(option);
    charts.push(chart);
  }

  var f = data.funds;
  draw("chart-funds", {
    tooltip: {trigger: "axis"},
    legend: {data: ["当月", "累计", "序时目标"], bottom: 0},
    grid: {left: 8, right: 16, top: 28, bottom: 36, containLabel: true},
    xAxis: {type: "category", data: f.months, axisLabel: categoryLabels},
    yAxis: {type: "value", name: f.unit},
    series: [
      {name: "当月", type: "bar", data: f.values, itemStyle: {color: "#7aa7e6"}},
      {name: "累计", type: "line", data: f.cumulative, itemStyle: {color: "#1f5fbf"}},
      {name: "序时目标", type: "line", data: f.schedule, lineStyle: {type: "dashed"}, itemStyle: {color: "#c8322b"}, symbol: "none"}
    ]
  });

  draw("chart-stages", {
    tooltip: {trigger: "axis"},
    grid: {left: 8, right: 16, top: 28, bottom: 8, containLabel: true},
    xAxis: {type: "category", data: data.stages.stages, axisLabel: categoryLabels},
    yAxis: {type: "value", name: "个"},
    series: [{type: "bar", data: data.stages.counts, itemStyle: {color: "#2f855a"}, label: {show: true, position: "top"}}]
  });

  var names = [], rates = [], colors = [];
  data.groups.forEach(function (g) {
    g.units.forEach(function (u, i) {
      names.push(u);
      var r = g.rates[i];
      rates.push(r);
      var behind = r === null ? null : data.schedule_pct - r;
      colors.push(behind === null ? "#9aa5b1" : behind < 10 ? "#2f855a" : behind <= 30 ? "#d69e2e" : "#c8322b");
    });
  });
  draw("chart-groups", {
    tooltip: {trigger: "axis", valueFormatter: function (v) { return v === null ? "无目标" : v + "%"; }},
    grid: {left: 8, right: 40, top: 24, bottom: 8, containLabel: true},
    xAxis: {type: "value", axisLabel: {formatter: "{value}%", hideOverlap: true}},
    yAxis: {type: "category", data: names, inverse: true,
            axisLabel: {fontSize: 11, interval: 0, width: narrow ? 84 : 150, overflow: "break", lineHeight: 13}},
    series: [{type: "bar", data: rates.map(function (r, i) { return {value: r, itemStyle: {color: colors[i]}}; }),
              markLine: {symbol: "none", data: [{xAxis: data.schedule_pct, name: "序时进度"}],
                         lineStyle: {color: "#c8322b", type: "dashed"}, label: {formatter: "序时{c}%", position: "start"}}}]
  });

  function resize() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener("resize", resize);
  // On paper the charts take the page's width, not the screen's (and back after printing).
  window.matchMedia("print").addEventListener("change", resize);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
})();
