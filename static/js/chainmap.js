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

  // a node's label styles are taken whole from the node where it sets its own (a 短板's colours)
  function rich(nameColour, countColour) {
    return {head: {fontSize: 14, fontWeight: "bold", color: "#ffffff"},
            name: {fontSize: 14, fontWeight: "bold", lineHeight: 20, color: nameColour, align: "center"},
            count: {fontSize: 11, lineHeight: 16, color: countColour, align: "center"}};
  }

  function counts(link, short) {
    if (short) return "落地 " + link.landed + " · 目标 " + link.targets + " · 项目 " + link.projects;
    return "已落地企业 " + link.landed + " · 目标企业 " + link.targets + " · 项目 " + link.projects;
  }

  // Node centres in pixels of the drawing area; two invisible anchors pin its corners so that ECharts maps these
  // pixels one to one (a graph without layout fits its nodes' bounding box into the area). The arrows of the flow
  // run between invisible points at the nodes' edges, so that no node hides their heads.
  function layout(width) {
    var narrow = width < 700;
    var nodes = [], edges = [];
    var columns = data.positions.length;
    var nodeWidth = narrow ? Math.min(width - 24, 340) : Math.min(Math.floor(width / columns) - 56, 300);
    var linkHeight = 56, headHeight = 34, gap = 14, arrow = 34;
    var y = 0, tallest = 0, previous = null;

    function point(id, x, py) {
      nodes.push({id: id, name: "", x: x, y: py, symbolSize: 0, label: {show: false}, silent: true});
    }
    data.positions.forEach(function (position, i) {
      var x = narrow ? width / 2 : (width * (i + 0.5)) / columns;
      if (!narrow) y = 0;
      if (previous) {  // the arrow from the last position to this one
        if (narrow) { point("f" + i, x, y); point("t" + i, x, y + arrow - 6); y += arrow; }
        else { point("f" + i, previous.x + nodeWidth / 2 + 4, headHeight / 2); point("t" + i, x - nodeWidth / 2 - 6, headHeight / 2); }
        edges.push({source: "f" + i, target: "t" + i, symbol: ["none", "arrow"], symbolSize: 10,
                    lineStyle: {width: 2, color: HEADER}});
      }
      nodes.push({id: "h" + i, name: position.name, x: x, y: y + headHeight / 2, symbolSize: [nodeWidth, headHeight],
                  itemStyle: {color: HEADER}, head: true, tooltip: {show: false}});
      y += headHeight + gap;
      position.links.forEach(function (link) {
        nodes.push({
          id: "l" + link.id, name: link.name, linkId: link.id, link: link, x: x, y: y + linkHeight / 2,
          symbolSize: [nodeWidth, linkHeight],
          // a 短板 stands out from the red of 缺失: white, outlined in dashed red
          itemStyle: link.gap ? {color: "#ffffff", borderColor: GAP, borderWidth: 3, borderType: "dashed"}
                              : {color: link.colour},
          label: link.gap ? {rich: rich(GAP, "#6b1d18")} : undefined
        });
        y += linkHeight + gap;
      });
      tallest = Math.max(tallest, y - gap);
      previous = {x: x};
    });
    point("a0", 0, 0);
    point("a1", width, tallest);
    return {nodes: nodes, edges: edges, height: tallest, width: nodeWidth};
  }

  var short = false, nodeWidth = 0;  // a narrow node shows the counts' short names (the legend below the map spells them out)

  function label(p) {
    var d = p.data;
    if (d.head) return "{head|" + d.name + "}";
    if (!d.link) return "";
    var name = d.link.name, room = Math.max(4, Math.floor((nodeWidth - 20) / 15) - (d.link.gap ? 4 : 0));
    if (name.length > room) name = name.slice(0, room - 1) + "…";  // the tooltip and the list give it whole
    return "{name|" + name + (d.link.gap ? "（短板）" : "") + "}\n{count|" + counts(d.link, short) + "}";
  }

  function draw() {
    var width = el.clientWidth;
    var drawn = layout(width);
    nodeWidth = drawn.width;
    short = nodeWidth < 230;
    el.style.height = drawn.height + 16 + "px";
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
        symbol: "rect",
        label: {show: true, formatter: label, color: "#ffffff", fontFamily: font, align: "center",
                rich: rich("#ffffff", "#ffffff")},
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
