#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n;
    cin >> n;
    vector<double> values(n);
    for (auto &x : values) cin >> x;
    sort(values.begin(), values.end());

    long double sum = 0;
    for (double x : values) sum += x;
    long double mean = sum / n;
    long double squares = 0;
    for (double x : values) squares += (x - mean) * (x - mean);
    long double deviation = sqrt(squares / n);
    int middle = n / 2;
    double median = n % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;

    printf("%.9Lf\n%.9Lf\n%.9f\n", mean, deviation, median);
    return 0;
}
