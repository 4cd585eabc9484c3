// Questionnaire results: one bar chart per question, from the counts the server computed
// (json_script). Choice and region questions lie as horizontal bars, rating scales stand up.
(function () {
  "use strict";
  var source = document.getElementById("survey-chart-data");
  if (!source || !window.echarts) {
    return;
  }
  var font = getComputedStyle(document.body).fontFamily;
  var charts = [];
  JSON.parse(source.textContent).forEach(function (question) {
    var holder = document.getElementById(question.id);
    if (!holder) {
      return;
    }
    var upright = question.kind === "rating";
    // Set through the DOM: the CSP forbids inline style attributes in the markup.
    holder.style.height = (upright ? 240 : 40 + 26 * question.labels.length) + "px";
    var narrow = holder.clientWidth < 500;
    var categories = { type: "category", data: question.labels, axisTick: { show: false } };
    var values = { type: "value", minInterval: 1 };
    if (!upright) {
      categories.inverse = true;
      categories.axisLabel = { width: narrow ? 110 : 220, overflow: "truncate" };
    }
    var chart = window.echarts.init(holder, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: font },
      grid: { left: 8, right: 40, top: 16, bottom: 8, containLabel: true },
      xAxis: upright ? categories : values,
      yAxis: upright ? values : categories,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      series: [{
        type: "bar",
        barMaxWidth: 22,
        itemStyle: { color: "#9f1d20" },
        data: question.counts,
        label: { show: true, position: upright ? "top" : "right" }
      }]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
