// Completion rate of each lead organisation, drawn from figures the server computed.
(function () {
  "use strict";
  var holder = document.getElementById("completion-chart");
  var source = document.getElementById("completion-chart-data");
  if (!holder || !source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Set through the DOM: the CSP forbids inline style attributes in the markup.
  holder.style.height = data.height + "px";
  var chart = window.echarts.init(holder, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: data.labels, inverse: true, axisTick: { show: false } },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + "%"; } },
    series: [{
      type: "bar",
      data: data.rates,
      barMaxWidth: 14,
      itemStyle: { color: "#9f1d20" },
      label: { show: true, position: "right", formatter: "{c}%" }
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
