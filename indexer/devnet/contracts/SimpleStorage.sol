// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The classic: one number, a setter that logs, a getter, and a call that always reverts (for failed-tx rows).
contract SimpleStorage {
    uint256 private value;

    event Stored(address indexed by, uint256 value);

    function store(uint256 v) external {
        value = v;
        emit Stored(msg.sender, v);
    }

    function retrieve() external view returns (uint256) {
        return value;
    }

    function fail() external pure {
        revert("SimpleStorage: always fails");
    }
}
