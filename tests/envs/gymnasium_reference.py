#!/usr/bin/env python3
"""Reference transitions for the envs tests: a line-by-line transcription of Gymnasium 1.0's
classic_control step functions (cartpole.py, acrobot.py, mountain_car.py, pendulum.py) in plain
Python floats (float64, no numpy). Run it to regenerate the expected values in *_test.cpp."""
import math


def cartpole(state, action):
    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    total_mass = masspole + masscart
    polemass_length = masspole * length
    x, x_dot, theta, theta_dot = state
    force = force_mag if action == 1 else -force_mag
    costheta, sintheta = math.cos(theta), math.sin(theta)
    temp = (force + polemass_length * theta_dot**2 * sintheta) / total_mass
    thetaacc = (gravity * sintheta - costheta * temp) / (
        length * (4.0 / 3.0 - masspole * costheta**2 / total_mass))
    xacc = temp - polemass_length * thetaacc * costheta / total_mass
    x = x + tau * x_dot
    x_dot = x_dot + tau * xacc
    theta = theta + tau * theta_dot
    theta_dot = theta_dot + tau * thetaacc
    return [x, x_dot, theta, theta_dot]


def acrobot(s, a):
    dt, l1, m1, m2, lc1, lc2, I1, I2, g = 0.2, 1.0, 1.0, 1.0, 0.5, 0.5, 1.0, 1.0, 9.8
    torque = [-1.0, 0.0, 1.0][a]

    def dsdt(y):
        theta1, theta2, dtheta1, dtheta2 = y
        d1 = m1 * lc1**2 + m2 * (l1**2 + lc2**2 + 2 * l1 * lc2 * math.cos(theta2)) + I1 + I2
        d2 = m2 * (lc2**2 + l1 * lc2 * math.cos(theta2)) + I2
        phi2 = m2 * lc2 * g * math.cos(theta1 + theta2 - math.pi / 2.0)
        phi1 = (-m2 * l1 * lc2 * dtheta2**2 * math.sin(theta2)
                - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * math.sin(theta2)
                + (m1 * lc1 + m2 * l1) * g * math.cos(theta1 - math.pi / 2) + phi2)
        ddtheta2 = (torque + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1**2 * math.sin(theta2) - phi2) / (
            m2 * lc2**2 + I2 - d2**2 / d1)
        ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
        return [dtheta1, dtheta2, ddtheta1, ddtheta2]

    def add(y, h, k):
        return [yi + h * ki for yi, ki in zip(y, k)]

    k1 = dsdt(s)
    k2 = dsdt(add(s, dt / 2.0, k1))
    k3 = dsdt(add(s, dt / 2.0, k2))
    k4 = dsdt(add(s, dt, k3))
    ns = [y + dt / 6.0 * (a1 + 2 * a2 + 2 * a3 + a4) for y, a1, a2, a3, a4 in zip(s, k1, k2, k3, k4)]

    def wrap(x, m, M):
        while x > M:
            x -= M - m
        while x < m:
            x += M - m
        return x

    ns[0] = wrap(ns[0], -math.pi, math.pi)
    ns[1] = wrap(ns[1], -math.pi, math.pi)
    ns[2] = min(max(ns[2], -4 * math.pi), 4 * math.pi)
    ns[3] = min(max(ns[3], -9 * math.pi), 9 * math.pi)
    terminal = -math.cos(ns[0]) - math.cos(ns[1] + ns[0]) > 1.0
    return ns, (0.0 if terminal else -1.0), terminal


def pendulum(state, u):
    max_speed, max_torque, dt, g, m, l = 8.0, 2.0, 0.05, 10.0, 1.0, 1.0
    th, thdot = state
    u = min(max(u, -max_torque), max_torque)
    cost = (((th + math.pi) % (2 * math.pi)) - math.pi) ** 2 + 0.1 * thdot**2 + 0.001 * u**2
    newthdot = thdot + (3 * g / (2 * l) * math.sin(th) + 3.0 / (m * l**2) * u) * dt
    newthdot = min(max(newthdot, -max_speed), max_speed)
    newth = th + newthdot * dt
    return [newth, newthdot], -cost


def run(name, step, state, actions):
    print(name, "from", state)
    for a in actions:
        out = step(state, a)
        state = out if name == "cartpole" else out[0]
        print("  action", a, "->", ", ".join(repr(v) for v in state), "" if name == "cartpole" else out[1:])


if __name__ == "__main__":
    run("cartpole", cartpole, [0.01, -0.02, 0.03, 0.04], [1, 0, 0])
    run("acrobot", acrobot, [0.1, -0.2, 0.3, -0.4], [2, 0, 1])
    run("pendulum", pendulum, [1.0, -2.0], [0.5, -3.0])
