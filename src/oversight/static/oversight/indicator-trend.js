// One indicator over the known periods, with its standard as a dashed line; figures come
// from the server (json_script), never computed here.
(function () {
  "use strict";
  var holder = document.getElementById("indicator-trend");
  var source = document.getElementById("indicator-trend-data");
  if (!holder || !source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Set through the DOM: the CSP forbids inline style attributes in the markup.
  holder.style.height = "280px";
  var chart = window.echarts.init(holder, null, { renderer: "canvas" });
  var series = [{
    name: data.title,
    type: "line",
    data: data.values,
    connectNulls: true,
    symbolSize: 8,
    itemStyle: { color: "#9f1d20" },
    label: { show: true, position: "top" }
  }];
  if (data.threshold !== null) {
    series[0].markLine = {
      symbol: "none",
      lineStyle: { type: "dashed", color: "#6c757d" },
      label: { formatter: "标准 " + data.threshold },
      data: [{ yAxis: data.threshold }]
    };
  }
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    grid: { left: 8, right: 72, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.periods },
    yAxis: {
      type: "value",
      name: data.title,
      nameTextStyle: { align: "left" },
      // Keep the standard's line on the chart when every value lies below it.
      max: data.threshold === null ? null : function (extent) {
        return Math.max(extent.max, data.threshold);
      }
    },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
