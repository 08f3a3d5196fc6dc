// What the simulator and the verdict searches share (src/simulate only): the random numbers, the
// timeline, and one run of the load with some pipes' frame counts overridden.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "ksframe/simulate.hpp"

namespace ksframe::load {

using Ns = std::int64_t;
constexpr Ns kNsPerUs = 1000;

struct Random {
  std::mt19937_64 g;
  double unit() { return static_cast<double>(g() >> 11) * 0x1.0p-53; }  // [0, 1)
  double sample(const DistributionSpec& d, double fallback) {
    if (!d.present) return fallback;
    switch (d.kind.value) {
      case DistributionSpec::Kind::Fixed:
        return d.value.value;
      case DistributionSpec::Kind::Uniform:
        return d.min.value + unit() * (d.max.value - d.min.value);
      case DistributionSpec::Kind::Exponential:
        return -d.mean.value * std::log1p(-unit());
    }
    return fallback;
  }
};

// Frames outstanding over time, for the report's chart: per time bucket, the time-weighted mean
// and the highest count. At most kMaxBuckets buckets: when time runs past them, neighbours merge
// and the bucket width doubles, so memory stays bounded whatever the run's length, and the same
// run always gives the same series.
class Timeline {
 public:
  static constexpr std::size_t kMaxBuckets = 128;
  Timeline() : area_(1, 0.0), max_(1, 0) {}
  /// The count became `outstanding` at time `t` (t never decreases). Called on every
  /// allocation and free, so the common case (the same bucket as the last event) is a few
  /// additions, without a division.
  void record(Ns t, std::uint32_t outstanding) {
    advance(t);
    current_ = outstanding;
    max_.back() = std::max(max_.back(), outstanding);
  }
  /// Closes the series at `end`; means and maxima, one per bucket, from time 0.
  void finish(Ns end, std::vector<double>& mean, std::vector<std::uint32_t>& max) {
    advance(end);
    mean.clear();
    for (std::size_t i = 0; i < area_.size(); ++i) {
      const Ns span = std::min<Ns>(width_, end - static_cast<Ns>(i) * width_);
      mean.push_back(span > 0 ? std::round(area_[i] / static_cast<double>(span) * 100) / 100
                              : current_);
    }
    max = max_;
  }
  Ns width() const { return width_; }

 private:
  Ns bucket_end() const { return static_cast<Ns>(area_.size()) * width_; }
  // The current count, held from the last event to `t`: whole buckets are closed on the way
  // (a new bucket starts with the count it inherits as its highest).
  void advance(Ns t) {
    while (t >= bucket_end()) {
      area_.back() += static_cast<double>(current_) * static_cast<double>(bucket_end() - last_);
      last_ = bucket_end();
      if (area_.size() == kMaxBuckets) compact();  // the same end time, in half as many buckets
      area_.push_back(0.0);
      max_.push_back(current_);
    }
    area_.back() += static_cast<double>(current_) * static_cast<double>(t - last_);
    last_ = t;
  }
  void compact() {
    std::vector<double> area((area_.size() + 1) / 2, 0.0);
    std::vector<std::uint32_t> max((max_.size() + 1) / 2, 0);
    for (std::size_t i = 0; i < area_.size(); ++i) {
      area[i / 2] += area_[i];
      max[i / 2] = std::max(max[i / 2], max_[i]);
    }
    area_ = std::move(area);
    max_ = std::move(max);
    width_ *= 2;
  }
  Ns width_ = 1'000'000;  // 1 ms to start with
  Ns last_ = 0;
  std::uint32_t current_ = 0;
  std::vector<double> area_;  // outstanding x ns, per bucket; the last one is open
  std::vector<std::uint32_t> max_;
};

/// The mean of a distribution (what utilisation needs), or `fallback` when it is absent.
inline double distribution_mean(const DistributionSpec& d, double fallback) {
  if (!d.present) return fallback;
  switch (d.kind.value) {
    case DistributionSpec::Kind::Fixed:
      return d.value.value;
    case DistributionSpec::Kind::Uniform:
      return (d.min.value + d.max.value) / 2;
    case DistributionSpec::Kind::Exponential:
      return d.mean.value;
  }
  return fallback;
}

/// The run's settings: the spec's load section with the command line's overrides.
Simulation settings(const Spec& spec, const SimulateOptions& o);

/// One run of the load. `frame_overrides`: pipe index -> frame count. `touch_payload` false:
/// no payload bytes, no timeline (the re-runs of the verdict searches measure timing only).
Simulation run_load(const Spec& spec, const Negotiation& negotiation,
                    const SimulateOptions& options, const std::map<int, ks::ULONG>& frame_overrides,
                    bool touch_payload);

}  // namespace ksframe::load
