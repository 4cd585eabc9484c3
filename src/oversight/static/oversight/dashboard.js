// Dashboard charts, drawn from figures the server computed (json_script; no inline script).
(function () {
  "use strict";
  if (!window.echarts) {
    return;
  }
  var font = getComputedStyle(document.body).fontFamily;
  var percent = function (v) { return v === null || v === undefined ? "—" : v + "%"; };

  function draw(holderId, sourceId, series) {
    var holder = document.getElementById(holderId);
    var source = document.getElementById(sourceId);
    if (!holder || !source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    // Set through the DOM: the CSP forbids inline style attributes in the markup.
    holder.style.height = data.height + "px";
    var chart = window.echarts.init(holder, null, { renderer: "canvas" });
    var built = series(data);
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: font },
      legend: built.length > 1 ? { top: 0 } : { show: false },
      grid: { left: 8, right: 48, top: built.length > 1 ? 32 : 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.labels, inverse: true, axisTick: { show: false } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: percent },
      series: built
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function bar(name, values, color) {
    return {
      type: "bar",
      name: name,
      data: values,
      barMaxWidth: 14,
      itemStyle: { color: color },
      label: { show: true, position: "right", formatter: "{c}%" }
    };
  }

  // Completion rate of each lead organisation.
  draw("completion-chart", "completion-chart-data", function (data) {
    return [bar("", data.rates, "#9f1d20")];
  });
  // Each campaign below: its own rate, and the share done of what this level assigned to it.
  draw("children-chart", "children-chart-data", function (data) {
    return [
      bar(data.series[0], data.rates, "#9f1d20"),
      bar(data.series[1], data.from_parent, "#c9a227")
    ];
  });
})();
