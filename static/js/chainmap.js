/* The chain map (产业链图谱): the links of one chain drawn from the JSON the page carries (#chain-data), 上游 → 中游
   → 下游 in three columns on a laptop, one after the other on a phone; each link coloured by strength and labelled
   with its counts. A click on a link opens its lists below the map (plain <details>, which work without this
   script; so does ?link=ID). */
(function () {
  var el = document.getElementById("chain-chart");
  var source = document.getElementById("chain-data");
  if (!el || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var font = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif";
  var HEADER = "#1f3f6e", GAP = "#c8322b";
  var chart = echarts.init(el, null, {renderer: "svg"});

  function counts(link) {
    return "已落地企业 " + link.landed + " · 目标企业 " + link.targets + " · 项目 " + link.projects;
  }

  // Node centres in pixels of the drawing area; two invisible anchors pin its corners so that ECharts maps these
  // pixels one to one (a graph without layout fits its nodes' bounding box into the area).
  function layout(width) {
    var narrow = width < 700;
    var nodes = [], edges = [], heads = [], lastOfColumn = [];
    var columns = data.positions.length;
    var nodeWidth = narrow ? Math.min(width - 24, 340) : Math.min(Math.floor(width / columns) - 36, 300);
    var linkHeight = 58, headHeight = 34, step = 72;
    var y = 0, tallest = 0;
    data.positions.forEach(function (position, i) {
      var x = narrow ? width / 2 : (width * (i + 0.5)) / columns;
      if (!narrow) y = 0;
      var head = "h" + i;
      heads.push(head);
      nodes.push({id: head, name: position.name, x: x, y: y + headHeight / 2, symbolSize: [nodeWidth, headHeight],
                  itemStyle: {color: HEADER}, label: {formatter: position.name, fontSize: 14, fontWeight: "bold"},
                  tooltip: {show: false}});
      y += headHeight / 2 + step - 8;
      position.links.forEach(function (link) {
        var label = "{name|" + link.name + (link.gap ? "（短板）" : "") + "}\n{count|" + counts(link) + "}";
        nodes.push({
          id: "l" + link.id, name: link.name, linkId: link.id, link: link, x: x, y: y,
          symbolSize: [nodeWidth, linkHeight],
          itemStyle: {color: link.colour, borderColor: link.gap ? GAP : "#ffffff", borderWidth: link.gap ? 3 : 1,
                      borderType: link.gap ? "dashed" : "solid"},
          label: {formatter: label, width: nodeWidth - 12, overflow: "break"}
        });
        if (narrow) edges.push({source: nodes[nodes.length - 2].id, target: "l" + link.id, symbol: ["none", "none"]});
        y += step;
      });
      lastOfColumn.push(nodes[nodes.length - 1].id);
      tallest = Math.max(tallest, y);
      if (narrow) y += 8;
    });
    // the flow: 上游 → 中游 → 下游, header to header side by side, or down the one column on a phone
    for (var i = 1; i < heads.length; i++) {
      edges.push({source: narrow ? lastOfColumn[i - 1] : heads[i - 1], target: heads[i],
                  lineStyle: {width: 2, color: HEADER}});
    }
    var height = Math.max(tallest - step + linkHeight / 2 + 4, headHeight + 4);
    nodes.push({id: "a0", name: "", x: 0, y: 0, symbolSize: 0, label: {show: false}, silent: true});
    nodes.push({id: "a1", name: "", x: width, y: height, symbolSize: 0, label: {show: false}, silent: true});
    return {nodes: nodes, edges: edges, height: height, narrow: narrow};
  }

  function draw() {
    var width = el.clientWidth;
    var drawn = layout(width);
    el.style.height = drawn.height + "px";
    chart.resize();
    chart.setOption({
      textStyle: {fontFamily: font},
      animation: false,
      tooltip: {
        confine: true,
        formatter: function (p) {
          var link = p.data && p.data.link;
          if (!link) return "";
          var enc = echarts.format.encodeHTML;
          return "<strong>" + enc(link.name) + "</strong>（" + enc(link.strength) + (link.work ? "，" + enc(link.work) : "") +
            "）<br>" + counts(link) + (link.gap ? "<br>短板：无目标企业、无项目" : "") + "<br>点击查看名单";
        }
      },
      series: [{
        type: "graph", layout: "none", roam: false, left: 0, right: 0, top: 0, bottom: 0,
        symbol: "roundRect", edgeSymbol: ["none", "arrow"], edgeSymbolSize: 9,
        label: {show: true, color: "#ffffff", fontFamily: font,
                rich: {name: {fontSize: 14, fontWeight: "bold", lineHeight: 20, color: "#ffffff"},
                       count: {fontSize: 11, lineHeight: 16, color: "#ffffff"}}},
        lineStyle: {color: "#8a97a8", width: 1.5, curveness: 0},
        emphasis: {disabled: true},
        data: drawn.nodes, links: drawn.edges
      }]
    }, true);
  }

  // A viewBox on the drawn SVG lets the print stylesheet scale the map to the paper's width (as the dashboard).
  chart.on("finished", function () {
    var svg = el.querySelector("svg");
    if (svg) svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
  });
  chart.on("click", function (p) {
    var id = p.data && p.data.linkId;
    var lists = id && document.getElementById("link-" + id);
    if (!lists) return;
    lists.open = true;
    lists.scrollIntoView({behavior: "smooth", block: "start"});
    if (window.history && history.replaceState) history.replaceState(null, "", "?link=" + id + "#link-" + id);
  });

  draw();
  var lastWidth = el.clientWidth;
  window.addEventListener("resize", function () {
    if (el.clientWidth !== lastWidth) { lastWidth = el.clientWidth; draw(); }
  });
})();
