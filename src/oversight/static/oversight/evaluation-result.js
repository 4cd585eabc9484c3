// Result sheet: each department's satisfaction rate as a bar, from figures the server computed,
// with the session's two thresholds marked; and a button that puts the sheet on the full screen.
(function () {
  "use strict";
  var sheet = document.getElementById("result-sheet");
  var button = document.getElementById("present-button");
  if (sheet && button && sheet.requestFullscreen) {
    button.addEventListener("click", function () {
      sheet.requestFullscreen();
    });
  } else if (button) {
    button.hidden = true;
  }

  var holder = document.getElementById("evaluation-chart");
  var source = document.getElementById("evaluation-chart-data");
  if (!holder || !source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Set through the DOM: the CSP forbids inline style attributes in the markup.
  holder.style.height = data.height + "px";
  var narrow = holder.clientWidth < 500;
  var chart = window.echarts.init(holder, null, { renderer: "canvas" });
  var colours = function (rate) {
    if (rate === null) { return "#adb5bd"; }
    if (rate >= data.satisfied) { return "#198754"; }
    if (rate >= data.basic) { return "#0d6efd"; }
    return "#dc3545";
  };
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    grid: { left: 8, right: 56, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: "value", min: 0, max: 100, splitNumber: narrow ? 2 : 5, axisLabel: { formatter: "{value}%" } },
    yAxis: {
      type: "category", data: data.labels, inverse: true, axisTick: { show: false },
      // On a phone long department names wrap instead of squeezing the bars.
      axisLabel: narrow ? { width: 96, overflow: "break" } : {}
    },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v === null ? "—" : v.toFixed(1) + "%"; } },
    series: [{
      type: "bar",
      barMaxWidth: 18,
      data: data.rates.map(function (rate) {
        return { value: rate, itemStyle: { color: colours(rate) } };
      }),
      label: { show: true, position: "right", formatter: function (p) { return p.value === null ? "—" : p.value.toFixed(1) + "%"; } },
      markLine: {
        symbol: "none",
        silent: true,
        lineStyle: { type: "dashed", color: "#6c757d" },
        label: { position: "end", formatter: "{c}%" },
        data: [{ xAxis: data.satisfied }, { xAxis: data.basic }]
      }
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
  document.addEventListener("fullscreenchange", function () { chart.resize(); });
})();
